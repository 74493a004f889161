package dev.loupe.data.predictions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictionReaderTest {
    @TempDir
    Path dir;

    private static final double EPS = 0.0;

    @Test
    void csvMultiClassWithPredWeightAndMetadata() throws IOException {
        Path f = Rows.write(dir, "p.csv", "id,label,prob_cat,prob_dog,prob_bird,pred,weight,split\n"
                + "a1,cat,0.7,0.2,0.1,cat,1.5,train\n"
                + "a2,dog,0.1,0.6,0.3,bird,0,test\n"
                + "a3,bird,0.25,0.25,0.5,bird,2,test\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        PredictionSchema s = r.schema;
        assertEquals(List.of("cat", "dog", "bird"), s.classes());
        assertEquals(List.of("id", "label", "prob_cat", "prob_dog", "prob_bird", "pred", "weight", "split"), s.columns());
        assertEquals(List.of("split"), s.metadataColumns());
        assertTrue(s.weighted());
        assertTrue(s.hasPred());
        assertTrue(s.hasId());
        assertFalse(s.scoreMode());
        assertEquals(-1, s.positiveIndex());
        assertEquals(PredictionFormat.CSV, s.format());
        assertTrue(s.complete());
        assertEquals(List.of(0, 1, 2), r.labels);
        assertEquals(List.of(0, 2, 2), r.preds);
        assertEquals(List.of(1.5, 0.0, 2.0), r.weights);
        assertEquals(List.of(0L, 1L, 2L), r.keys);
        assertArrayEquals(new double[] {0.7, 0.2, 0.1}, r.probs.get(0), EPS);
        assertArrayEquals(new double[] {0.1, 0.6, 0.3}, r.probs.get(1), EPS);
        assertArrayEquals(new double[] {0.25, 0.25, 0.5}, r.probs.get(2), EPS);
        assertEquals(3, r.rowsRead);
    }

    @Test
    void tsvBinaryScoreDiscoversNegativeAndThresholds() throws IOException {
        Path f = Rows.write(dir, "p.tsv", "label\tscore\tnote\n"
                + "1\t0.9\t\"x\ty\"\"z\"\n"
                + "0\t0.2\t\n"
                + "1.0\t0.5\tz\n"
                + "0\t0.7\tw\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("1"));
        assertEquals(List.of("0", "1"), r.schema.classes());
        assertEquals(1, r.schema.positiveIndex());
        assertTrue(r.schema.scoreMode());
        assertFalse(r.schema.weighted());
        assertEquals(List.of("note"), r.schema.metadataColumns());
        assertEquals(List.of(1, 0, 1, 0), r.labels);
        assertEquals(List.of(1, 0, 1, 1), r.preds); // 0.5 >= threshold 0.5
        assertArrayEquals(new double[] {1 - 0.9, 0.9}, r.probs.get(0), EPS);
        assertArrayEquals(new double[] {0.8, 0.2}, r.probs.get(1), EPS);
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0), r.weights);
        assertEquals(List.of(0L, 1L, 2L, 3L), r.keys);

        Rows t = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("1").threshold(0.75));
        assertEquals(List.of(1, 0, 0, 0), t.preds);
    }

    @Test
    void jsonLinesWithNumberLabelsNestedMetadataAndArgMax() throws IOException {
        Path f = Rows.write(dir, "p.jsonl", "{\"label\": 2, \"prob_1\": 0.2, \"prob_2\": 0.5, \"prob_3\": 0.3, \"meta\": {\"a\": [1, 2]}}\n"
                + "\n"
                + "{\"prob_3\": 0.4, \"label\": \"1\", \"prob_1\": 0.4, \"prob_2\": 0.2, \"extra\": 3}\n"
                + "{\"label\": 3.0, \"prob_1\": \"0.1\", \"prob_2\": 0.1, \"prob_3\": 0.8, \"meta\": null}");
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        assertEquals(List.of("1", "2", "3"), r.schema.classes());
        assertEquals(List.of("meta", "extra"), r.schema.metadataColumns()); // a later line may add metadata keys
        assertFalse(r.schema.weighted());
        assertEquals(List.of(1, 0, 2), r.labels);
        assertEquals(List.of(1, 0, 2), r.preds); // arg-max, first on ties
        assertArrayEquals(new double[] {0.2, 0.5, 0.3}, r.probs.get(0), EPS);
        assertArrayEquals(new double[] {0.4, 0.2, 0.4}, r.probs.get(1), EPS);
        assertArrayEquals(new double[] {0.1, 0.1, 0.8}, r.probs.get(2), EPS);
        assertEquals(List.of(0L, 1L, 2L), r.keys);
        assertEquals(PredictionFormat.JSONL, r.schema.format());
    }

    @Test
    void jsonLinesWithPredAndWeight() throws IOException {
        Path f = Rows.write(dir, "p.ndjson", "{\"id\":\"r1\",\"label\":\"yes\",\"score\":0.8,\"pred\":\"no\",\"weight\":0.5}\r\n"
                + "{\"id\":\"r2\",\"label\":\"no\",\"score\":0.1,\"pred\":\"no\",\"weight\":2}\r\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("yes"));
        assertEquals(List.of("no", "yes"), r.schema.classes());
        assertTrue(r.schema.weighted());
        assertEquals(List.of(1, 0), r.labels);
        assertEquals(List.of(0, 0), r.preds);
        assertEquals(List.of(0.5, 2.0), r.weights);
    }

    @Test
    void dotJsonWithOneObjectPerLineIsJsonLines() throws IOException {
        Path f = Rows.write(dir, "p.json", "{\"label\":\"a\",\"prob_a\":1,\"prob_b\":0}\n{\"label\":\"b\",\"prob_a\":0,\"prob_b\":1}\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        assertEquals(List.of(0, 1), r.labels);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 6, 7})
    void batchBoundaries(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("label,prob_a,prob_b\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i % 2 == 0 ? "a" : "b").append(',').append(i / 10.0).append(',').append((10 - i) / 10.0).append('\n');
        }
        Path f = Rows.write(dir, "p.csv", sb.toString());
        Rows r = Rows.read(f, PredictionFileOptions.defaults().batchSize(3));
        assertEquals(rows, r.labels.size());
        for (int i = 0; i < rows; i++) {
            assertEquals(i, r.keys.get(i));
            assertEquals(i % 2, r.labels.get(i));
            assertEquals(i / 10.0, r.probs.get(i)[0], 1e-15);
        }
        for (int i = 0; i < r.batchSizes.size(); i++) {
            assertEquals(Math.min(3, rows - 3 * i), r.batchSizes.get(i));
        }
        assertEquals((rows + 2) / 3, r.batchSizes.size());
    }

    @Test
    void quotingEscapesEmbeddedNewlinesCrlfBomAndNoTrailingNewline() throws IOException {
        String csv = "\uFEFF\"label\",\"prob_a,1\",\"prob_\"\"b\"\"\",comment\r\n"
                + "\"a,1\",0.5,0.5,\"he said \"\"hi\"\"\"\r\n"
                + "\r\n"
                + "\"\"\"b\"\"\",0.25,0.75,\"line one\nline two, still\"\r\n"
                + "\"a,1\",\"0.125\",0.875,\"\"\r\n"
                + "\"a,1\",1,0,plain";
        Path f = Rows.write(dir, "q.csv", csv);
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        assertEquals(List.of("a,1", "\"b\""), r.schema.classes());
        assertEquals(List.of("label", "prob_a,1", "prob_\"b\"", "comment"), r.schema.columns());
        assertEquals(List.of(0, 1, 0, 0), r.labels);
        assertEquals(List.of(0, 1, 1, 0), r.preds);
        assertArrayEquals(new double[] {0.125, 0.875}, r.probs.get(2), EPS);
        assertEquals(List.of(0L, 1L, 2L, 3L), r.keys);

        // physical lines: the two-line field moves the next rows down; an empty label is reported on line 8
        Path g = Rows.write(dir, "q2.csv", csv + "\r\n\"\",1,0,x\r\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(g, PredictionFileOptions.defaults()));
        assertEquals("MISSING_VALUE", e.code());
        assertTrue(e.getMessage().startsWith(g + ", line 8, column 'label' (#1)"), e.getMessage());
    }

    @Test
    void labelsMatchClassNamesAsNumbers() throws IOException {
        Path f = Rows.write(dir, "n.csv", "label,prob_0,prob_1,pred\n0.0,0.9,0.1,0\n1,0.3,0.7,1.0\n1.0,0.6,0.4,0\n-0,0.5,0.5,1e0\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        assertEquals(List.of("0", "1"), r.schema.classes());
        assertEquals(List.of(0, 1, 1, 0), r.labels);
        assertEquals(List.of(0, 1, 0, 1), r.preds);
    }

    @Test
    void renormalizeDividesByTheRowSum() throws IOException {
        Path f = Rows.write(dir, "r.csv", "label,prob_a,prob_b\nb,0.1,0.3\na,2,2\na,0.5,0.5\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f, PredictionFileOptions.defaults()));
        assertEquals("PROBABILITIES_DO_NOT_SUM_TO_ONE", e.code());
        Rows r = Rows.read(f, PredictionFileOptions.defaults().renormalize(true));
        assertArrayEquals(new double[] {0.1 / (0.1 + 0.3), 0.3 / (0.1 + 0.3)}, r.probs.get(0), EPS);
        assertArrayEquals(new double[] {0.5, 0.5}, r.probs.get(1), EPS);
        assertArrayEquals(new double[] {0.5, 0.5}, r.probs.get(2), EPS);
        assertEquals(List.of(1, 0, 0), r.preds);
    }

    @Test
    void sumsWithinToleranceAreAccepted() throws IOException {
        Path f = Rows.write(dir, "t.csv", "label,prob_a,prob_b,prob_c\na,0.1,0.2,0.7\nb,0.3333333,0.3333333,0.3333333\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        assertArrayEquals(new double[] {0.3333333, 0.3333333, 0.3333333}, r.probs.get(1), EPS);
    }

    @Test
    void scoreModeWithoutAnyNegativeLabelNamesItNotPositive() throws IOException {
        Path f = Rows.write(dir, "s.csv", "label,score\nspam,0.9\nspam,0.4\n");
        try (PredictionReader reader = PredictionReader.open(f, PredictionFileOptions.defaults().positiveLabel("spam"))) {
            assertFalse(reader.schema().complete());
            PredictionBatch b = reader.newBatch();
            assertTrue(reader.next(b));
            assertEquals(2, b.size());
            assertEquals(1, b.label(0));
            assertEquals(0, b.pred(1));
            assertFalse(reader.next(b));
            assertTrue(reader.schema().complete());
            assertEquals(List.of("not_spam", "spam"), reader.schema().classes());
        }
    }

    @Test
    void scoreModeNegativeMayFirstAppearAsAPrediction() throws IOException {
        Path f = Rows.write(dir, "s.csv", "label,score,pred\n1,0.2,0\n1.0,0.9,1\n0.0,0.1,0\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("1"));
        assertEquals(List.of("0", "1"), r.schema.classes());
        assertEquals(List.of(1, 1, 0), r.labels);
        assertEquals(List.of(0, 1, 0), r.preds);
    }

    @Test
    void throughputMainRuns() throws IOException {
        PredictionReaderThroughput.main(new String[] {"2000"});
    }

    @Test
    void scoreModeNegativeFromOption() throws IOException {
        Path f = Rows.write(dir, "s.csv", "label,score,pred\nham,0.1,ham\nspam,0.9,spam\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("spam").negativeLabel("ham"));
        assertEquals(List.of("ham", "spam"), r.schema.classes());
        assertEquals(List.of(0, 1), r.labels);
        assertEquals(List.of(0, 1), r.preds);
        Path g = Rows.write(dir, "s2.csv", "label,score\nham,0.1\neggs,0.9\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Rows.read(g, PredictionFileOptions.defaults().positiveLabel("spam").negativeLabel("ham")));
        assertEquals("LABEL_NOT_IN_CLASSES", e.code());
    }

    @Test
    void positiveLabelWithProbColumnsGivesItsIndex() throws IOException {
        Path f = Rows.write(dir, "p.csv", "label,prob_neg,prob_pos\npos,0.2,0.8\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("pos"));
        assertEquals(1, r.schema.positiveIndex());
    }

    @Test
    void customColumnNamesAndFormatOverride() throws IOException {
        Path f = Rows.write(dir, "p.txt", "y\tp:a\tp:b\tw\nb\t0.4\t0.6\t2\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults().labelColumn("y").probPrefix("p:").weightColumn("w")
                .format(PredictionFormat.TSV));
        assertEquals(List.of("a", "b"), r.schema.classes());
        assertEquals(List.of(1), r.labels);
        assertEquals(List.of(2.0), r.weights);
    }

    @Test
    void gzipIsReadTransparently() throws IOException {
        Path f = dir.resolve("p.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("label,score\n1,0.75\n0,0.25\n".getBytes(StandardCharsets.UTF_8));
        }
        Rows r = Rows.read(f, PredictionFileOptions.defaults().positiveLabel("1"));
        assertEquals(List.of(1, 0), r.labels);
    }

    @Test
    void utf8LabelsAndMetadata() throws IOException {
        Path f = Rows.write(dir, "u.csv", "label,prob_chat,prob_çhien,note\nçhien,0.1,0.9,日本語 ✓\nchat,0.6,0.4,😀\n");
        Rows r = Rows.read(f, PredictionFileOptions.defaults());
        assertEquals(List.of("chat", "çhien"), r.schema.classes());
        assertEquals(List.of(1, 0), r.labels);
    }

    @Test
    void manyClassesUseTheHashedLookup() throws IOException {
        int k = 40;
        StringBuilder sb = new StringBuilder("label");
        for (int c = 0; c < k; c++) {
            sb.append(",prob_c").append(c);
        }
        sb.append('\n');
        for (int i = 0; i < 200; i++) {
            sb.append("c").append(i % k);
            for (int c = 0; c < k; c++) {
                sb.append(',').append(c == (i * 7) % k ? "1" : "0");
            }
            sb.append('\n');
        }
        Path f = Rows.write(dir, "k.csv", sb.toString());
        Rows r = Rows.read(f, PredictionFileOptions.defaults().batchSize(64));
        for (int i = 0; i < 200; i++) {
            assertEquals(i % k, r.labels.get(i));
            assertEquals((i * 7) % k, r.preds.get(i));
        }
    }

    /** Tiny buffers force every row across a refill: the result must not change. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 13, 64})
    void tinyBuffersGiveTheSameRows(int bufferSize) throws IOException {
        String csv = "\uFEFFid,label,prob_a,prob_b,note\r\n"
                + "1,a,0.5,0.5,\"x, \"\"y\"\"\r\nz\"\r\n"
                + "2,b,0.125,0.875,\r\n"
                + "\r\n"
                + "3,\"a\",1e-1,9e-1,\"\"\r"
                + "4,b,0,1,last";
        Path f = Rows.write(dir, "b.csv", csv);
        Rows big = Rows.read(f, PredictionFileOptions.defaults());
        Rows small = Rows.read(f, PredictionFileOptions.defaults().batchSize(2), bufferSize);
        assertEquals(List.of(0, 1, 0, 1), big.labels);
        assertEquals(big.labels, small.labels);
        assertEquals(big.preds, small.preds);
        assertEquals(big.keys, small.keys);
        for (int i = 0; i < big.probs.size(); i++) {
            assertArrayEquals(big.probs.get(i), small.probs.get(i), EPS);
        }
        // line numbers survive refills: the bad row is on physical line 8
        Path g = Rows.write(dir, "c.csv", csv + "\r\n5,c,0.5,0.5,x\r\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Rows.read(g, PredictionFileOptions.defaults(), bufferSize));
        assertEquals("LABEL_NOT_IN_CLASSES", e.code());
        assertTrue(e.getMessage().startsWith(g + ", line 8, column 'label' (#2)"), e.getMessage());

        Path j = Rows.write(dir, "b.jsonl", "{\"label\":\"a\",\"prob_a\":0.5,\"prob_b\":0.5}\r\n\n{\"label\":\"b\",\"prob_a\":0.25,\"prob_b\":0.75}");
        Rows jr = Rows.read(j, PredictionFileOptions.defaults(), bufferSize);
        assertEquals(List.of(0, 1), jr.labels);
    }

    @Test
    void newBatchMatchesTheSchemaAndWrongBatchesAreRefused() throws IOException {
        Path f = Rows.write(dir, "p.csv", "label,prob_a,prob_b,prob_c,weight\na,0.2,0.3,0.5,1\n");
        try (PredictionReader reader = PredictionReader.open(f, PredictionFileOptions.defaults().batchSize(5))) {
            PredictionBatch b = reader.newBatch();
            assertEquals(3, b.numClasses());
            assertTrue(b.isWeighted());
            assertThrows(IllegalArgumentException.class, () -> reader.next(new PredictionBatch(2, 5, true)));
            assertThrows(IllegalArgumentException.class, () -> reader.next(new PredictionBatch(3, 5, false)));
        }
    }

    @Test
    void onValuesHandsEachRowsMetadataInOrder() throws IOException {
        Path csv = Rows.write(dir, "m.csv", "label,score,src,note\n1,0.9,a,\"x,\"\"y\"\"\"\n0,0.1,,plain\n0,0.2,b,\n");
        List<String> src = new java.util.ArrayList<>();
        List<String> note = new java.util.ArrayList<>();
        try (PredictionReader r = PredictionReader.open(csv, PredictionFileOptions.defaults().positiveLabel("1"))) {
            r.onValues("src", src::add);
            r.onValues("note", note::add);
            assertThrows(IllegalArgumentException.class, () -> r.onValues("score", s -> { }));
            assertThrows(IllegalArgumentException.class, () -> r.onValues("nope", s -> { }));
            PredictionBatch b = r.newBatch();
            while (r.next(b)) {
                assertEquals(src.size(), r.rowsRead());
            }
        }
        assertEquals(List.of("a", "", "b"), src);
        assertEquals(List.of("x,\"y\"", "plain", ""), note);

        Path jsonl = Rows.write(dir, "m.jsonl", "{\"label\":\"1\",\"score\":0.9,\"src\":\"a\"}\n"
                + "{\"label\":\"0\",\"score\":0.1}\n{\"label\":\"0\",\"score\":0.2,\"src\":7}\n"
                + "{\"label\":\"0\",\"score\":0.2,\"src\":null}\n");
        List<String> js = new java.util.ArrayList<>();
        try (PredictionReader r = PredictionReader.open(jsonl, PredictionFileOptions.defaults().positiveLabel("1"))) {
            r.onValues("src", js::add);
            PredictionBatch b = r.newBatch();
            while (r.next(b)) {
                assertEquals(js.size(), r.rowsRead());
            }
        }
        assertEquals(java.util.Arrays.asList("a", null, "7", null), js);
    }
}
