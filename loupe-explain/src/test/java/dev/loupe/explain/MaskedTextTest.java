package dev.loupe.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.OnnxTextClassifier;
import dev.loupe.models.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Masking on the tiny BERT classifier of loupe-models' tests (made by tools/models/make_tiny_classifiers.py). */
class MaskedTextTest {
    static final Path TINY = Path.of("..", "loupe-models", "src", "test", "resources", "tiny");
    static OnnxTextClassifier bert;

    @BeforeAll
    static void open() {
        bert = OnnxTextClassifier.open(TINY.resolve("bert-3"), ModelOptions.defaults().withMaxLength(48).withThreads(1));
    }

    @AfterAll
    static void close() {
        bert.close();
    }

    /** Records every batch the model runs. */
    static final class Recording implements ProbabilityModel {
        final ProbabilityModel inner;
        final List<long[]> batches = new ArrayList<>();

        Recording(ProbabilityModel inner) {
            this.inner = inner;
        }

        @Override
        public List<String> labels() {
            return inner.labels();
        }

        @Override
        public TextTokenizer tokenizer() {
            return inner.tokenizer();
        }

        @Override
        public double[][] probabilities(EncodedBatch b) {
            batches.add(java.util.Arrays.copyOf(b.inputIds(), b.elements()));
            return inner.probabilities(b);
        }
    }

    @Test
    void wordsAreUnitsWithOffsetsAndMaskingReplacesEveryToken() {
        Recording rec = new Recording(ProbabilityModel.classifier(bert));
        String text = "  Héllo   unbelievable café!\tspam";
        MaskedText f = new MaskedText(rec, text, 8);
        List<String> words = f.units().stream().map(Unit::text).toList();
        assertEquals(List.of("Héllo", "unbelievable", "café!", "spam"), words);
        for (Unit u : f.units()) {
            assertEquals(u.text(), text.substring(u.start(), u.end()));
        }
        long mask = bert.tokenizer().maskId();
        assertEquals("[MASK]", bert.tokenizer().maskToken());
        TextTokenizer.Tokens t = f.tokens();
        boolean[] keep = f.all();
        keep[1] = false; // "unbelievable": several word pieces
        f.probabilities(new boolean[][] {keep});
        long[] ids = rec.batches.get(0);
        assertEquals(t.size(), ids.length, "same length");
        int masked = 0;
        for (int i = 0; i < ids.length; i++) {
            boolean inWord = t.start()[i] >= f.units().get(1).start() && t.end()[i] <= f.units().get(1).end() && t.start()[i] >= 0;
            assertEquals(inWord ? mask : t.ids()[i], ids[i], "token " + i + " " + t.tokens()[i]);
            masked += inWord ? 1 : 0;
        }
        assertTrue(masked >= 2, "a multi-piece word: " + masked);
        assertEquals(-1, t.start()[0], "[CLS] covers no text");
    }

    @Test
    void coalitionsRunInBatchesAndAreMemoised() {
        Recording rec = new Recording(ProbabilityModel.classifier(bert));
        MaskedText f = new MaskedText(rec, "free money click here now winner", 4);
        int m = f.size();
        boolean[][] rows = new boolean[10][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = f.all();
            rows[r][r % m] = false;
        }
        double[][] p = f.probabilities(rows);
        assertEquals(2, rec.batches.size(), "6 distinct coalitions in batches of 4");
        assertArrayEquals(p[0], p[6], 0, "a repeated coalition is the same row");
        double[][] direct = ProbabilityModel.classifier(bert).probabilities(bert.tokenizer().encode(List.of("free money click here now winner")));
        double[][] whole = f.probabilities(new boolean[][] {f.all()});
        assertArrayEquals(direct[0], whole[0], 1e-6, "all kept = the text itself");
        assertEquals(3, rec.batches.size());
    }

    @Test
    void explainerGivesEveryMethodAndShapSumsToTheEnds() {
        TextExplainer ex = new TextExplainer(ProbabilityModel.classifier(bert), new TextExplainer.Options(2000, 0, 64));
        TextExplainer.Result r = ex.explain("click here to win free money today", List.of(Method.OCCLUSION, Method.SHAP, Method.LIME), -1, n -> { });
        assertEquals(3, r.explanations().size());
        Explanation shap = r.explanations().get(1);
        assertEquals(7, shap.scores().length);
        assertEquals(shap.value() - shap.baseValue(), shap.sum(), 1e-9);
        assertTrue(shap.note().startsWith("exact"), "2^7 <= 2000: " + shap.note());
        assertEquals(r.probabilities()[r.target()], shap.value(), 1e-12);
        assertThrows(InvalidInputException.class, () -> ex.classIndex("nope"));
        assertThrows(InvalidInputException.class, () -> ex.explain("   ", List.of(Method.OCCLUSION), -1, n -> { }));
    }
}
