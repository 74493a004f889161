package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.StoredMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --slice-by / --slice}: each slice's metrics and intervals equal those of evaluating the slice's rows
 * alone (the same rows, keys and seed, written to a file of their own), in the JSON, the table and the store; bad
 * slice options exit 2 naming the place.
 */
class EvaluateSlicesTest {
    static final Path SPAM = Path.of("..", "examples", "spam-predictions.csv");
    static final ObjectMapper OM = new ObjectMapper();

    @TempDir
    Path tmp;

    JsonNode evaluate(Path file, String json, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", file.toString(), "--positive-label", "spam",
                "-q", "--no-store", "--bootstrap", "200", "--json", tmp.resolve(json).toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return OM.readTree(tmp.resolve(json).toFile());
    }

    /**
     * {@code file} with a weight column: 1 for the rows {@code keep} accepts, 0 for the others. A weight-0 row changes
     * no sum, and every kept row keeps its key (its position, which seeds its bootstrap draws), so the file evaluates
     * the kept rows alone.
     */
    Path weighted(Path file, Predicate<String[]> keep, String name) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        out.add(lines.get(0) + ",weight");
        for (String line : lines.subList(1, lines.size())) {
            out.add(line + (keep.test(line.split(",", -1)) ? ",1" : ",0"));
        }
        Path p = tmp.resolve(name);
        Files.write(p, out, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void eachSliceEqualsItsRowsEvaluatedAlone() throws IOException {
        JsonNode all = evaluate(SPAM, "all.json", "--slice-by", "source");
        JsonNode slices = all.get("slices").get("source");
        assertEquals(List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"), names(slices));
        long total = 0;
        for (String source : List.of("hard-ham-1", "spam-1")) {
            JsonNode s = slices.get(source);
            // alone: the other rows weigh 0, so each row keeps its key (and its bootstrap draws)
            // a slice leaves every 0/0 undefined, as --zero-division nan does
            JsonNode alone = evaluate(weighted(SPAM, f -> f[3].equals(source), source + ".csv"), source + ".json",
                    "--zero-division", "nan");
            assertEquals(alone.get("total_weight").asDouble(), s.get("total_weight").asDouble(), source);
            Iterator<Map.Entry<String, JsonNode>> it = alone.get("metrics").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> m = it.next();
                for (String f : List.of("value", "ci_low", "ci_high")) {
                    JsonNode want = m.getValue().get(f);
                    JsonNode got = s.get("metrics").get(m.getKey()).get(f);
                    if (want.isNull()) {
                        assertTrue(got.isNull(), source + " " + m.getKey() + "." + f + ": " + got);
                    } else {
                        assertEquals(want.asDouble(), got.asDouble(), 1e-12, source + " " + m.getKey() + "." + f);
                    }
                }
            }
        }
        for (JsonNode s : iterable(slices)) {
            total += s.get("n").asLong();
        }
        assertEquals(all.get("n").asLong(), total, "the slices of one column partition the rows");
        // the ham-only slice has no defined ROC AUC: null, never 0
        assertTrue(slices.get("hard-ham-1").get("metrics").get("roc_auc").get("value").isNull());
        assertEquals(120, slices.get("hard-ham-1").get("n").asLong());
    }

    /** The example with a second metadata column, {@code half}: "first" for the first 600 rows, "second" after. */
    Path twoColumns() throws IOException {
        List<String> lines = Files.readAllLines(SPAM, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(List.of(lines.get(0) + ",half"));
        for (int i = 1; i < lines.size(); i++) {
            out.add(lines.get(i) + (i <= 600 ? ",first" : ",second"));
        }
        Path p = tmp.resolve("two.csv");
        Files.write(p, out, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void eachHeatmapCellEqualsTheRowsOfBothSlicesEvaluatedAlone() throws IOException {
        Path two = twoColumns();
        JsonNode all = evaluate(two, "h.json", "--slice-by", "source,half", "--heatmap", "source,half");
        JsonNode h = all.get("heatmap");
        assertEquals("source", h.get("rows").asText());
        assertEquals("half", h.get("columns").asText());
        assertEquals("[\"first\",\"second\"]", h.get("column_values").toString());
        long total = 0;
        int compared = 0;
        for (JsonNode cell : iterable(h.get("cells"))) {
            total += cell.get("n").asLong();
            String source = cell.get("row").asText();
            String half = cell.get("column").asText();
            if (!List.of("spam-1", "easy-ham-2").contains(source)) {
                continue;
            }
            JsonNode alone = evaluate(weighted(two, f -> f[3].equals(source) && f[4].equals(half), "c.csv"), "c.json",
                    "--zero-division", "nan");
            assertEquals(alone.get("total_weight").asDouble(), cell.get("total_weight").asDouble(), source + "/" + half);
            for (String m : List.of("accuracy", "f1", "log_loss", "brier", "recall_macro")) {
                for (String f : List.of("value", "ci_low", "ci_high")) {
                    JsonNode want = alone.get("metrics").get(m).get(f);
                    JsonNode got = cell.get("metrics").get(m).get(f);
                    assertEquals(want.isNull(), got.isNull(), source + "/" + half + " " + m + "." + f);
                    assertEquals(want.asDouble(), got.asDouble(), 1e-12, source + "/" + half + " " + m + "." + f);
                    compared++;
                }
            }
        }
        assertEquals(all.get("n").asLong(), total, "the cells partition the rows");
        assertTrue(compared >= 30, "compared " + compared);
        // the table: accuracy per pair with its rows
        Cli r = Cli.run("evaluate", "--predictions", two.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--bootstrap", "0", "--slice-by", "source,half", "--heatmap", "source,half");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("accuracy by source (rows) and half (columns)"), r.out());
        JsonNode first = h.get("cells").get(0);
        String row = r.out().lines().filter(l -> l.startsWith(first.get("row").asText() + " ")).reduce((a, b) -> b).orElseThrow();
        assertTrue(row.contains(TableReport.num(first.get("metrics").get("accuracy").get("value").asDouble()) + " (" + first.get("n").asLong() + ")"), row);
        // bad names exit 2 naming the option and the slices there are
        for (String bad : List.of("source", "source,nope", "source,source")) {
            Cli b = Cli.run("evaluate", "--predictions", two.toString(), "--positive-label", "spam", "-q", "--no-store",
                    "--slice-by", "source,half", "--heatmap", bad);
            assertEquals(2, b.exit(), b.err());
            assertTrue(b.err().contains("--heatmap") && b.err().contains("'" + bad), b.err());
        }
    }

    @Test
    void derivedSlicesByLengthAndRegex() throws IOException {
        Path f = tmp.resolve("texts.csv");
        Files.writeString(f, "label,score,text\n"
                + "spam,0.9,\"FREE money, now\"\n"
                + "spam,0.4,win a free cruise today and forever more\n"
                + "ham,0.2,hi\n"
                + "ham,0.7,lunch?\n"
                + "ham,0.1,see you at the meeting tomorrow morning then\n", StandardCharsets.UTF_8);
        JsonNode r = evaluate(f, "d.json", "--slice", "len=length:10,30", "--slice", "free=regex:(?i)free");
        JsonNode len = r.get("slices").get("len");
        assertEquals(List.of("<10", "10-29", ">=30"), names(len)); // in bin order
        assertEquals(2, len.get("<10").get("n").asLong());
        assertEquals(1, len.get("10-29").get("n").asLong());
        assertEquals(2, len.get(">=30").get("n").asLong());
        JsonNode free = r.get("slices").get("free");
        assertEquals(2, free.get("match").get("n").asLong());
        // match: spam 0.9 (right), spam 0.4 (wrong) -> accuracy 0.5; no match: three ham, 0.7 wrong -> 2/3
        assertEquals(0.5, free.get("match").get("metrics").get("accuracy").get("value").asDouble(), 1e-15);
        assertEquals(2.0 / 3, free.get("no match").get("metrics").get("accuracy").get("value").asDouble(), 1e-15);
    }

    @Test
    void tableShowsEachSliceAndTheStoreKeepsEveryMetric() {
        Path db = tmp.resolve("runs.db");
        Cli r = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--bootstrap", "50",
                "--store", db.toString(), "--slice-by", "source");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("slices by source"), r.out());
        String roc = r.out().lines().filter(l -> l.startsWith("roc_auc ") && l.contains("—")).findFirst().orElse("");
        assertFalse(roc.isEmpty(), "undefined slice AUCs print as —: " + r.out());
        // every row of a slice table is as wide as its header: a long metric name never pushes its cells right
        String table = r.out().substring(r.out().indexOf("slices by source"));
        table = table.substring(table.indexOf('\n') + 1, table.indexOf("\n\n", 1) < 0 ? table.length() : table.indexOf("\n\n", 1));
        int width = table.lines().findFirst().orElseThrow().length();
        java.util.List<String> rows = table.lines()
                .filter(l -> l.startsWith("balanced_accuracy_adjusted ") || l.startsWith("rows ")).toList();
        assertEquals(2, rows.size(), table);
        rows.forEach(l -> assertEquals(width, l.length(), "misaligned slice row: '" + l + "' in\n" + r.out()));
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            String run = s.listRuns(null).get(0).id();
            Map<String, StoredMetric> m = new java.util.HashMap<>();
            s.metrics(run).forEach(x -> m.put(x.name(), x));
            assertEquals(120, m.get("support[source=hard-ham-1]").value(), 0);
            assertTrue(m.containsKey("log_loss[source=spam-2]"), m.keySet().toString());
            assertTrue(Double.isNaN(m.get("roc_auc[source=hard-ham-1]").value()));
        }
    }

    @Test
    void oneClassSlicesShowUndefinedScoresAsDashesWithAWarning() throws IOException {
        // hard-ham-1 holds ham only (positive: spam): recall of spam and MCC are 0/0, precision 0/FP is defined
        Cli r = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--bootstrap", "200", "--slice-by", "source", "--json", tmp.resolve("one.json").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode ham = OM.readTree(tmp.resolve("one.json").toFile()).get("slices").get("source").get("hard-ham-1");
        for (String undefined : List.of("recall", "mcc")) {
            for (String f : List.of("value", "ci_low", "ci_high")) {
                assertTrue(ham.get("metrics").get(undefined).get(f).isNull(), undefined + "." + f + ": " + ham);
            }
        }
        long fp = ham.get("confusion_matrix").get(0).get(1).asLong();
        assertTrue(fp > 0, ham.toString());
        assertEquals(0.0, ham.get("metrics").get("precision").get("value").asDouble(), 0); // 0 / FP: measured, not 0/0
        // macro recall leaves the absent class out: it is ham's recall alone, 1 - FP / rows
        assertEquals(1 - fp / 120.0, ham.get("metrics").get("recall_macro").get("value").asDouble(), 1e-12);
        assertTrue(ham.get("warnings").toString().contains("Only one class ('ham')"), ham.get("warnings").toString());
        assertTrue(ham.get("warnings").toString().contains("MCC"), ham.get("warnings").toString());
        // the table: "—", never 0.0000 [0.0000, 0.0000], and the slice's warning under the table
        String table = r.out().substring(r.out().indexOf("slices by source"));
        for (String metric : List.of("recall ", "mcc ")) {
            String line = table.lines().filter(l -> l.startsWith(metric)).findFirst().orElseThrow();
            assertFalse(line.contains("0.0000 [0.0000, 0.0000]"), line);
            assertTrue(line.contains("—"), line);
        }
        assertTrue(table.contains("warnings of the slices by source"), table);
        assertTrue(table.contains("  - hard-ham-1: Only one class ('ham') is present in the labels: ROC AUC, MCC,"), table);
        // the run itself keeps scikit-learn's default (0/0 = 0, with its warning)
        JsonNode run = OM.readTree(tmp.resolve("one.json").toFile());
        assertEquals(0.0, run.get("options").get("zero_division").asDouble(), 0);
        // --zero-division 1 is the user's choice and holds in slices too
        JsonNode one = evaluate(SPAM, "zd1.json", "--slice-by", "source", "--zero-division", "1");
        assertEquals(1.0, one.get("slices").get("source").get("hard-ham-1").get("metrics").get("recall").get("value").asDouble(), 0);
    }

    void assertBadInput(Cli r, String... fragments) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    Cli run(String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam",
                "-q", "--no-store", "--bootstrap", "0"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void badSliceOptionsExit2NamingThePlace() throws IOException {
        assertBadInput(run("--slice-by", "sorce"), "--slice-by sorce", "spam-predictions.csv", "no column 'sorce'", "source");
        assertBadInput(run("--slice", "x=regex:(unclosed"), "--slice 'x=regex:(unclosed'", "does not compile");
        assertBadInput(run("--slice", "x=bogus"), "--slice", "NAME=regex:PATTERN");
        assertBadInput(run("--slice", "len=length:50,20"), "--slice", "increasing");
        assertBadInput(run("--slice", "t=length"), "--slice t", "no column 'text'", "--text-col");
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, "label,score,text\nspam,0.9,hello\nham,0.1,bye\n", StandardCharsets.UTF_8);
        assertBadInput(Cli.run("evaluate", "--predictions", f.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--slice", "z=regex:zzz"), "--slice 'z=regex:zzz' matches no row of", "t.csv", "empty");
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static Iterable<JsonNode> iterable(JsonNode o) {
        return o::elements;
    }
}
