package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --slice-by ... --weak-slices}: every reported slice's rows and errors equal a direct count over the
 * file, the number tested equals the count of conjunctions with enough rows, hard ham comes first and is flagged; bad
 * options exit 2.
 */
class EvaluateWeakSlicesTest {
    static final Path SPAM = Path.of("..", "examples", "spam-predictions.csv");
    static final ObjectMapper OM = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The example with a second column: the row's position modulo 3 ("a", "b", "c"). */
    List<String[]> rows() throws IOException {
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(SPAM, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            out.add(new String[] {f[0], f[1], f[2], f[3], String.valueOf("abc".charAt(i % 3))});
        }
        return out;
    }

    Path file(List<String[]> rows) throws IOException {
        List<String> lines = new ArrayList<>(List.of("id,label,score,source,third"));
        rows.forEach(r -> lines.add(String.join(",", r)));
        Path p = tmp.resolve("two.csv");
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    static boolean error(String[] r) {
        return (Double.parseDouble(r[2]) >= 0.5) != r[1].equals("spam");
    }

    @Test
    void reportedSlicesMatchADirectCount() throws IOException {
        List<String[]> rows = rows();
        Path f = file(rows);
        Cli r = Cli.run("evaluate", "--predictions", f.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--bootstrap", "0", "--slice-by", "source,third", "--weak-slices", "--min-support", "50",
                "--json", tmp.resolve("w.json").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode w = OM.readTree(tmp.resolve("w.json").toFile()).get("weak_slices");
        long errors = rows.stream().filter(EvaluateWeakSlicesTest::error).count();
        assertEquals(errors, w.get("errors").asLong());
        // tested: every value and every pair of values with at least 50 rows
        Set<String> sources = new HashSet<>();
        rows.forEach(x -> sources.add(x[3]));
        int tested = 0;
        for (String s : sources) {
            tested += rows.stream().filter(x -> x[3].equals(s)).count() >= 50 ? 1 : 0;
            for (String t : List.of("a", "b", "c")) {
                tested += rows.stream().filter(x -> x[3].equals(s) && x[4].equals(t)).count() >= 50 ? 1 : 0;
            }
        }
        for (String t : List.of("a", "b", "c")) {
            tested += 1; // 400 rows each
        }
        assertEquals(tested, w.get("tested").asInt());
        assertFalse(w.get("slices").isEmpty());
        for (JsonNode s : w.get("slices")) {
            String source = s.get("predicates").path("source").asText(null);
            String third = s.get("predicates").path("third").asText(null);
            long n = rows.stream().filter(x -> (source == null || x[3].equals(source)) && (third == null || x[4].equals(third))).count();
            long e = rows.stream().filter(x -> (source == null || x[3].equals(source)) && (third == null || x[4].equals(third)))
                    .filter(EvaluateWeakSlicesTest::error).count();
            assertEquals(n, s.get("n").asLong(), s.toString());
            assertEquals(e, s.get("errors").asLong(), s.toString());
            assertTrue(s.get("error_rate").asDouble() > w.get("error_rate").asDouble());
        }
        JsonNode top = w.get("slices").get(0);
        assertEquals("source=hard-ham-1", top.get("name").asText());
        assertTrue(top.get("worse").asBoolean());
        assertTrue(r.out().contains("weak slices: error rate above the overall"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("source=hard-ham-1 ") && l.endsWith("yes")), r.out());
    }

    @Test
    void badOptionsExit2() {
        Cli none = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--no-store", "--weak-slices");
        assertEquals(2, none.exit(), none.err());
        assertTrue(none.err().contains("--weak-slices") && none.err().contains("--slice-by"), none.err());
        Cli zero = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--slice-by", "source", "--weak-slices", "--min-support", "0");
        assertEquals(2, zero.exit(), zero.err());
        assertTrue(zero.err().contains("--min-support"), zero.err());
    }
}
