import dev.loupe.data.augment.Perturbation;
import dev.loupe.data.datasets.SpamAssassin;
import java.nio.file.Path;
import java.util.List;

public class PerturbBench {
    public static void main(String[] a) {
        SpamAssassin.Corpus c = SpamAssassin.archive(Path.of(a[0]));
        List<String> texts = c.dataset().texts().subList(0, 2000);
        long chars = texts.stream().mapToLong(String::length).sum();
        for (int round = 0; round < 2; round++) {
            for (String spec : List.of("typo:0.05", "typo:0.2", "case:0.3", "punct:0.2", "word_drop:0.1", "word_swap:0.1",
                    "word_repeat:0.1", "truncate:0.5", "strip_markup", "inject_markup:0.2", "homoglyph:0.1")) {
                Perturbation p = Perturbation.parse(spec, "bench");
                long t0 = System.nanoTime();
                long sink = 0;
                for (int i = 0; i < texts.size(); i++) {
                    sink += p.apply(texts.get(i), 0, i).length();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (round == 1) {
                    System.out.printf("%-18s %8.0f texts/s  (%.1f MB/s)  %d%n", spec, texts.size() / s, chars / s / 1e6, sink % 10);
                }
            }
        }
    }
}
