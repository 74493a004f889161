package dev.loupe.data.predictions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.api.NotFoundException;
import dev.loupe.api.PredictionBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per kind of bad input: the stable code and the key parts of the one message. */
class PredictionReaderErrorsTest {
    @TempDir
    Path dir;

    private static PredictionFileOptions defaults() {
        return PredictionFileOptions.defaults();
    }

    private static PredictionFileOptions positive1() {
        return PredictionFileOptions.defaults().positiveLabel("1");
    }

    /** Reads the whole file and returns the error it must raise. */
    private <E extends LoupeException> E fail(Class<E> type, Path file, PredictionFileOptions o) {
        return assertThrows(type, () -> {
            try (PredictionReader r = PredictionReader.open(file, o)) {
                PredictionBatch b = r.newBatch();
                while (r.next(b)) {
                    // read on
                }
            }
        });
    }

    private InvalidInputException fail(String name, String content, PredictionFileOptions o) throws IOException {
        return fail(InvalidInputException.class, Rows.write(dir, name, content), o);
    }

    private static void contains(LoupeException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.csv");
        NotFoundException e = fail(NotFoundException.class, f, defaults());
        assertEquals("FILE_NOT_FOUND", e.code());
        assertEquals(2, e.exitCode());
        contains(e, "not found", f.toString(), "Check the path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\uFEFF", "\n\n", "\r\n"})
    void emptyFile(String content) throws IOException {
        InvalidInputException e = fail("e.csv", content, defaults());
        assertEquals("EMPTY_FILE", e.code());
        contains(e, "e.csv is empty", "header line");
    }

    @Test
    void emptyJsonLinesFile() throws IOException {
        InvalidInputException e = fail("e.jsonl", "\n", defaults());
        assertEquals("EMPTY_FILE", e.code());
        contains(e, "one JSON object per line");
    }

    @Test
    void headerButNoDataRows() throws IOException {
        InvalidInputException e = fail("h.csv", "label,prob_a,prob_b\n\n", defaults());
        assertEquals("NO_DATA_ROWS", e.code());
        contains(e, "h.csv has a header but no data rows");
    }

    @Test
    void noLabelColumn() throws IOException {
        InvalidInputException e = fail("l.csv", "id,y,score\n1,0,0.5\n", positive1());
        assertEquals("MISSING_LABEL_COLUMN", e.code());
        contains(e, "has no 'label' column", "Columns found: id, y, score", "--label-col");
    }

    @Test
    void noProbabilityColumns() throws IOException {
        InvalidInputException e = fail("p.csv", "id,label,p\n1,0,0.5\n", defaults());
        assertEquals("MISSING_PROBABILITY_COLUMNS", e.code());
        contains(e, "prob_<class>", "'score'", "Columns found: id, label, p", "--prob-prefix");
    }

    @Test
    void onlyOneProbColumn() throws IOException {
        InvalidInputException e = fail("p.csv", "label,prob_a\na,1\n", defaults());
        assertEquals("TOO_FEW_CLASSES", e.code());
        contains(e, "prob_a", "at least 2 classes", "--positive-label");
    }

    @Test
    void bothProbAndScoreColumns() throws IOException {
        InvalidInputException e = fail("p.csv", "label,prob_a,prob_b,score\na,1,0,1\n", defaults());
        assertEquals("AMBIGUOUS_PROBABILITY_COLUMNS", e.code());
    }

    @Test
    void duplicateColumnNames() throws IOException {
        InvalidInputException e = fail("d.csv", "label,score,id,score\n1,0.5,1,0.5\n", positive1());
        assertEquals("DUPLICATE_COLUMN", e.code());
        contains(e, "d.csv", "'score' appears twice", "#2 and #4", "Rename");
    }

    @Test
    void duplicateJsonKeys() throws IOException {
        InvalidInputException e = fail("d.jsonl", "{\"label\":1,\"score\":0.5,\"score\":0.4}\n", positive1());
        assertEquals("DUPLICATE_COLUMN", e.code());
        contains(e, "line 1", "\"score\" appears twice");
    }

    @Test
    void unparseableNumber() throws IOException {
        InvalidInputException e = fail("n.csv", "id,label,score\n1,0,0.5\n2,1,abc\n", positive1());
        assertEquals("NOT_A_NUMBER", e.code());
        contains(e, "n.csv, line 3, column 'score' (#3)", "expected a number", "got \"abc\"", "0.25");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "inf", "-inf", "Infinity", "1e999"})
    void notFinite(String value) throws IOException {
        InvalidInputException e = fail("f.csv", "label,prob_a,prob_b\na,0.5,0.5\nb," + value + ",0.5\n", defaults());
        assertEquals("NOT_FINITE", e.code());
        contains(e, "line 3, column 'prob_a' (#2)", "finite", value);
    }

    @Test
    void notFiniteInJson() throws IOException {
        InvalidInputException e = fail("f.jsonl", "{\"label\":1,\"score\":NaN}\n", positive1());
        assertEquals("NOT_FINITE", e.code());
        contains(e, "line 1, field \"score\"");
    }

    @Test
    void negativeWeight() throws IOException {
        InvalidInputException e = fail("w.csv", "label,score,weight\n1,0.5,1\n0,0.5,-2.5\n", positive1());
        assertEquals("NEGATIVE_WEIGHT", e.code());
        contains(e, "line 3, column 'weight' (#3)", "at least 0", "-2.5");
    }

    @Test
    void probabilityOutOfRange() throws IOException {
        InvalidInputException e = fail("r.csv", "label,prob_a,prob_b\na,1.5,-0.5\n", defaults());
        assertEquals("PROBABILITY_OUT_OF_RANGE", e.code());
        contains(e, "line 2, column 'prob_a' (#2)", "[0, 1]", "1.5", "softmax");
        InvalidInputException s = fail("s.csv", "label,score\n1,-0.1\n", positive1());
        assertEquals("PROBABILITY_OUT_OF_RANGE", s.code());
        contains(s, "column 'score' (#2)", "-0.1");
    }

    @Test
    void probabilitiesNotSummingToOne() throws IOException {
        InvalidInputException e = fail("s.csv", "label,prob_a,prob_b,prob_c\na,0.2,0.3,0.5\nb,0.2,0.3,0.4\n", defaults());
        assertEquals("PROBABILITIES_DO_NOT_SUM_TO_ONE", e.code());
        contains(e, "s.csv, line 3", "prob_a, prob_b, prob_c", "sum to 0.9", "--renormalize");
    }

    @Test
    void zeroRowCannotBeRenormalized() throws IOException {
        InvalidInputException e = fail("z.csv", "label,prob_a,prob_b\na,0,0\n", defaults().renormalize(true));
        assertEquals("PROBABILITIES_DO_NOT_SUM_TO_ONE", e.code());
        contains(e, "line 2", "all 0");
    }

    @Test
    void predNotAmongClasses() throws IOException {
        InvalidInputException e = fail("p.csv", "label,prob_a,prob_b,pred\na,0.5,0.5,c\n", defaults());
        assertEquals("PRED_NOT_IN_CLASSES", e.code());
        contains(e, "line 2, column 'pred' (#4)", "\"c\"", "\"a\", \"b\"");
    }

    @Test
    void labelNotAmongClasses() throws IOException {
        InvalidInputException e = fail("l.csv", "label,prob_a,prob_b\na,0.5,0.5\nc,0.5,0.5\n", defaults());
        assertEquals("LABEL_NOT_IN_CLASSES", e.code());
        contains(e, "l.csv, line 3, column 'label' (#1)", "\"c\"", "classes \"a\", \"b\"", "prob_c");
    }

    @Test
    void thirdLabelWithScoreColumn() throws IOException {
        InvalidInputException e = fail("b.csv", "label,score\n1,0.9\n0,0.1\n2,0.5\n", positive1());
        assertEquals("SCORE_NOT_BINARY", e.code());
        contains(e, "line 4, column 'label' (#1)", "binary", "\"0\", \"1\", \"2\"", "prob_<class>");
    }

    @Test
    void raggedRows() throws IOException {
        InvalidInputException more = fail("r.csv", "label,prob_a,prob_b\na,0.5,0.5\nb,0.5,0.5,x\n", defaults());
        assertEquals("RAGGED_ROW", more.code());
        contains(more, "r.csv, line 3", "expected 3 fields", "found 4", "label, prob_a, prob_b", "quote");
        InvalidInputException fewer = fail("r2.tsv", "label\tprob_a\tprob_b\na\t0.5\n", defaults());
        assertEquals("RAGGED_ROW", fewer.code());
        contains(fewer, "line 2", "expected 3 fields", "found 2", "tab");
    }

    @Test
    void nonUtf8Bytes() throws IOException {
        Path f = dir.resolve("u.csv");
        byte[] head = "label,prob_a,prob_b,note\na,1,0,ok\n".getBytes(StandardCharsets.UTF_8);
        byte[] row = "b,0,1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1); // latin-1 é = 0xE9
        byte[] all = new byte[head.length + row.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(row, 0, all, head.length, row.length);
        Files.write(f, all);
        InvalidInputException e = fail(InvalidInputException.class, f, defaults());
        assertEquals("NOT_UTF8", e.code());
        contains(e, "u.csv, line 3, column 'note' (#4)", "0xE9", "must be UTF-8", "iconv");

        Path g = dir.resolve("u2.csv");
        Files.write(g, "label,score\n\u00e9t\u00e9,0.5\n".getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException label = fail(InvalidInputException.class, g, positive1());
        assertEquals("NOT_UTF8", label.code());
        contains(label, "line 2, column 'label' (#1)");

        Path h = dir.resolve("u3.jsonl");
        Files.write(h, "{\"label\":\"1\",\"score\":0.5}\n{\"label\":\"\u00e9\",\"score\":0.5}\n".getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException json = fail(InvalidInputException.class, h, positive1());
        assertEquals("NOT_UTF8", json.code());
        contains(json, "u3.jsonl, line 2", "must be UTF-8");

        Path k = dir.resolve("u4.csv");
        Files.write(k, "label,sc\u00f6re\n".getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException header = fail(InvalidInputException.class, k, positive1());
        assertEquals("NOT_UTF8", header.code());
        contains(header, "line 1", "header", "must be UTF-8");
    }

    @Test
    void scoreColumnWithoutPositiveLabel() throws IOException {
        InvalidInputException e = fail("s.csv", "label,score\n1,0.5\n", defaults());
        assertEquals("MISSING_POSITIVE_LABEL", e.code());
        contains(e, "s.csv", "'score'", "--positive-label");
    }

    @Test
    void jsonLineThatIsNotAnObject() throws IOException {
        InvalidInputException e = fail("j.jsonl", "{\"label\":1,\"score\":0.5}\n[1, 0.5]\n", positive1());
        assertEquals("JSON_NOT_OBJECT", e.code());
        contains(e, "j.jsonl, line 2", "expected a JSON object", "an array");
    }

    @Test
    void malformedJson() throws IOException {
        InvalidInputException e = fail("j.jsonl", "{\"label\":1,\"score\":0.5}\n\n{\"label\":0,\"score\":0.5\n", positive1());
        assertEquals("MALFORMED_JSON", e.code());
        contains(e, "j.jsonl, line 3", "malformed JSON", "one complete JSON object");
        InvalidInputException two = fail("k.jsonl", "{\"label\":1,\"score\":0.5} {\"label\":1}\n", positive1());
        assertEquals("MALFORMED_JSON", two.code());
        contains(two, "line 1", "more after the JSON object");
    }

    @Test
    void prettyPrintedDotJsonIsExplained() throws IOException {
        InvalidInputException e = fail("a.json", "[\n{\"label\":1,\"score\":0.5}\n]\n", positive1());
        assertEquals("UNSUPPORTED_JSON", e.code());
        contains(e, "JSON array", "one object per line", "jq");
        InvalidInputException p = fail("b.json", "{\n  \"label\": 1,\n  \"score\": 0.5\n}\n", positive1());
        assertEquals("MALFORMED_JSON", p.code());
        contains(p, "line 1", "JSON Lines");
    }

    @Test
    void jsonFieldsMissingWrongOrInconsistent() throws IOException {
        InvalidInputException missing = fail("m.jsonl", "{\"label\":1,\"score\":0.5}\n{\"label\":1}\n", positive1());
        assertEquals("MISSING_VALUE", missing.code());
        contains(missing, "line 2", "no \"score\" field");
        InvalidInputException wrong = fail("w.jsonl", "{\"label\":1,\"score\":[0.5]}\n", positive1());
        assertEquals("WRONG_JSON_TYPE", wrong.code());
        contains(wrong, "line 1, field \"score\"", "expected a number", "an array");
        InvalidInputException nul = fail("n.jsonl", "{\"label\":null,\"score\":0.5}\n", positive1());
        assertEquals("MISSING_VALUE", nul.code());
        InvalidInputException extra = fail("x.jsonl", "{\"label\":1,\"score\":0.5}\n{\"label\":1,\"score\":0.5,\"weight\":2}\n",
                positive1());
        assertEquals("INCONSISTENT_FIELDS", extra.code());
        contains(extra, "line 2", "\"weight\"", "first line");
    }

    @Test
    void emptyValue() throws IOException {
        InvalidInputException e = fail("e.csv", "label,score\n1,\n", positive1());
        assertEquals("MISSING_VALUE", e.code());
        contains(e, "line 2, column 'score' (#2)", "empty");
    }

    @Test
    void badQuoting() throws IOException {
        InvalidInputException open = fail("q.csv", "label,score,note\n1,0.5,\"never closed\n0,0.5,x\n", positive1());
        assertEquals("MALFORMED_CSV", open.code());
        contains(open, "q.csv, line 2", "closing quote is missing");
        InvalidInputException after = fail("q2.csv", "label,score,note\n1,0.5,\"a\"b\n", positive1());
        assertEquals("MALFORMED_CSV", after.code());
        contains(after, "line 2", "column 'note' (#3)", "after the closing quote", "\"\"");
    }

    @Test
    void unknownExtension() throws IOException {
        InvalidInputException e = fail("p.txt", "label,score\n1,0.5\n", positive1());
        assertEquals("UNKNOWN_FORMAT", e.code());
        contains(e, "p.txt", ".csv", "--format");
    }

    @Test
    void badOptions() throws IOException {
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class, () -> defaults().threshold(1.5)).code());
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class, () -> defaults().batchSize(0)).code());
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class, () -> defaults().labelColumn("")).code());
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class, () -> PredictionFormat.parse("xml")).code());
        InvalidInputException clash = fail("c.csv", "label,score\n1,0.5\n", positive1().predColumn("score"));
        assertEquals("BAD_PARAMETER", clash.code());
        contains(clash, "'--pred-col'", "--score-col");
        InvalidInputException same = fail("s.csv", "label,score\n1,0.5\n", positive1().negativeLabel("1.0"));
        assertEquals("BAD_PARAMETER", same.code());
        InvalidInputException neg = fail("n.csv", "label,prob_a,prob_b\na,1,0\n", defaults().negativeLabel("a"));
        assertEquals("BAD_PARAMETER", neg.code());
        contains(neg, "'--negative-label'");
        InvalidInputException pos = fail("p.csv", "label,prob_a,prob_b\na,1,0\n", defaults().positiveLabel("c"));
        assertEquals("POSITIVE_LABEL_NOT_IN_CLASSES", pos.code());
        contains(pos, "'c'", "\"a\", \"b\"");
    }

    @Test
    void readerRefusesToGoOnAfterAnError() throws IOException {
        Path f = Rows.write(dir, "x.csv", "label,score\n1,0.5\n1,x\n1,0.5\n");
        try (PredictionReader r = PredictionReader.open(f, positive1().batchSize(10))) {
            PredictionBatch b = r.newBatch();
            assertThrows(InvalidInputException.class, () -> r.next(b));
            assertEquals(1, b.size()); // the rows before the bad one
            assertThrows(IllegalStateException.class, () -> r.next(b));
        }
    }
}
