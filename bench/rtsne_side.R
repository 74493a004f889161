# The Rtsne side of bench/projection.sh: Rtsne (the reference Barnes-Hut C++ code) with its defaults (PCA to 50
# dimensions first, perplexity 30, theta 0.5, 1,000 iterations), first and second call in one R process.
args <- commandArgs(trailingOnly = TRUE)
d <- args[1]
x <- as.matrix(read.csv(file.path(d, "emb.csv"), header = FALSE))
suppressMessages(library(Rtsne))
for (call in 1:2) {
  set.seed(0)
  t <- system.time(y <- Rtsne(x, dims = 2, perplexity = 30, theta = 0.5, max_iter = 1000, check_duplicates = FALSE)$Y)
  cat(sprintf("Rtsne %s n=%d call %d: wall %.1f s, cpu %.1f s\n", packageVersion("Rtsne"), nrow(x), call,
              t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]))
}
write.table(y, file.path(d, "rtsne-tsne.csv"), sep = ",", row.names = FALSE, col.names = c("x", "y"))
