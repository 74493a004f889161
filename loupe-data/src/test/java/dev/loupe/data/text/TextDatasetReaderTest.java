package dev.loupe.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.api.NotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextDatasetReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static <E extends LoupeException> E fails(Class<E> type, Path file, TextDatasetOptions o) {
        return assertThrows(type, () -> TextDatasetReader.read(file, o));
    }

    private InvalidInputException fails(String name, String content) throws IOException {
        return fails(InvalidInputException.class, write(name, content), TextDatasetOptions.defaults());
    }

    @Test
    void csvWithQuotingIdAndMetadata() throws IOException {
        Path f = write("d.csv", "\uFEFFid,text,label,lang,score\r\n"
                + "a1,\"Hello, world\",pos,en,0.5\r\n"
                + "a2,\"She said \"\"hi\"\"\nand left\",neg,,1\r\n"
                + "\r\n"
                + "a3,,neg,fr,2");
        TextDataset d = TextDatasetReader.read(f);
        assertEquals(3, d.size());
        assertEquals(List.of("a1", "a2", "a3"), d.ids());
        assertEquals(List.of("Hello, world", "She said \"hi\"\nand left", ""), d.texts());
        assertEquals(List.of("pos", "neg", "neg"), d.labels());
        assertEquals(List.of("lang", "score"), d.metadataColumns());
        assertEquals(java.util.Arrays.asList("en", null, "fr"), d.metadataColumn("lang"));
        assertEquals(Map.of("lang", "en", "score", "0.5"), d.metadataOf(0));
        assertEquals(List.of("neg", "pos"), d.classes());
        assertEquals(Map.of("neg", 2, "pos", 1), d.labelCounts());
        assertEquals("d.csv", d.name());
    }

    @Test
    void tsvWithConfiguredColumnsAndRowNumbersAsIds() throws IOException {
        Path f = write("d.tsv", "review\tsentiment\tid\n"
                + "good movie\t1\tx\n"
                + "\"tab\tinside\"\t0\ty\n");
        TextDataset d = TextDatasetReader.read(f, TextDatasetOptions.defaults().withTextColumn("review")
                .withLabelColumn("sentiment"));
        assertEquals(List.of("x", "y"), d.ids(), "a column named id is used by default");
        assertEquals(List.of("good movie", "tab\tinside"), d.texts());
        d = TextDatasetReader.read(f, new TextDatasetOptions("review", "sentiment", null, TextFormat.TSV));
        assertEquals(List.of(), d.metadataColumns());
        Path g = write("e.tsv", "text\tlabel\nA\tx\nB\ty\n");
        assertEquals(List.of("1", "2"), TextDatasetReader.read(g).ids());
    }

    @Test
    void jsonLines() throws IOException {
        Path f = write("d.jsonl", "{\"text\": \"caf\u00e9 \\u2713\", \"label\": 1, \"meta\": {\"a\": [1, 2]}, \"src\": \"web\"}\n"
                + "\n"
                + "{\"label\": true, \"text\": null, \"extra\": 3.5}\n"
                + "{\"text\": \"third\", \"label\": \"x\", \"src\": null}\n");
        TextDataset d = TextDatasetReader.read(f);
        assertEquals(List.of("caf\u00e9 \u2713", "", "third"), d.texts());
        assertEquals(List.of("1", "true", "x"), d.labels());
        assertEquals(List.of("1", "2", "3"), d.ids());
        assertEquals(List.of("meta", "src", "extra"), d.metadataColumns());
        assertEquals("{\"a\": [1, 2]}", d.metadata("meta", 0));
        assertNull(d.metadata("meta", 1));
        assertEquals("3.5", d.metadata("extra", 1));
        assertNull(d.metadata("src", 2));
    }

    @Test
    void gzipAndExplicitFormat() throws IOException {
        Path gz = dir.resolve("d.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("text,label\nhello,a\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("hello"), TextDatasetReader.read(gz).texts());
        Path noExt = write("data", "{\"text\": \"t\", \"label\": \"l\"}\n");
        assertEquals(List.of("t"), TextDatasetReader.read(noExt, TextDatasetOptions.defaults()
                .withFormat(TextFormat.parse("ndjson"))).texts());
    }

    @Test
    void missingTextColumnListsTheColumns() throws IOException {
        InvalidInputException e = fails("d.csv", "body,label\nx,y\n");
        assertEquals("MISSING_TEXT_COLUMN", e.code());
        assertEquals(dir.resolve("d.csv") + " has no 'text' column. Its columns: 'body', 'label'. "
                + "Name the text column with --text-col.", e.getMessage());
    }

    @Test
    void missingLabelColumnListsTheFields() throws IOException {
        InvalidInputException e = fails("d.jsonl", "{\"text\": \"a\", \"y\": 1}\n");
        assertEquals("MISSING_LABEL_COLUMN", e.code());
        assertTrue(e.getMessage().endsWith("has no 'label' field. Its fields: 'text', 'y'. Name the label field "
                + "with --label-col."), e.getMessage());
    }

    @Test
    void missingIdColumn() throws IOException {
        Path f = write("d.csv", "text,label\na,b\n");
        InvalidInputException e = fails(InvalidInputException.class, f, TextDatasetOptions.defaults().withIdColumn("uid"));
        assertEquals("MISSING_ID_COLUMN", e.code());
        assertTrue(e.getMessage().contains("Its columns: 'text', 'label'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            RAGGED_ROW     | text,label\\na,b\\nc,d,e\\n       | line 3: the row has 3 fields but the header has 2
            MALFORMED_CSV  | text,label\\na,b\\n"open,c\\n     | line 3: a quoted field is never closed
            MALFORMED_CSV  | text,label\\n"a"b,c\\n            | line 2, field #1: unexpected text after a closing quote
            MISSING_VALUE  | text,label\\na,b\\nc,\\n          | line 3, column 'label': the label is missing
            DUPLICATE_ID   | id,text,label\\n1,a,b\\n1,c,d\\n  | line 3, column 'id': id '1' already appeared on line 2
            MISSING_VALUE  | id,text,label\\n,a,b\\n           | line 2, column 'id': the id is missing
            DUPLICATE_COLUMN | text,label,text\\na,b,c\\n      | column 'text' appears twice (#1 and #3)
            NO_DATA_ROWS   | text,label\\n                     | has a header but no data rows
            EMPTY_FILE     | \\n\\n                            | is empty
            """)
    void csvErrors(String code, String content, String part) throws IOException {
        InvalidInputException e = fails("d.csv", content.replace("\\n", "\n"));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("d.csv").toString()), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            JSON_NOT_OBJECT  | {"text": "a", "label": "b"}\\n[1, 2]\\n         | line 2: expected a JSON object
            MALFORMED_JSON   | {"text": "a", "label": "b"}\\n{"text": "a\\n    | line 2
            MALFORMED_JSON   | {"text": "a", "label": "b"} x\\n                 | line 1
            WRONG_JSON_TYPE  | {"text": {"a": 1}, "label": "b"}\\n             | line 1, field "text": expected a string
            MISSING_VALUE    | {"text": "a", "label": null}\\n                 | line 1, field 'label': the label is missing
            DUPLICATE_COLUMN | {"text": "a", "text": "b", "label": "c"}\\n     | line 1: field "text" appears twice
            """)
    void jsonErrors(String code, String content, String part) throws IOException {
        InvalidInputException e = fails("d.jsonl", content.replace("\\n", "\n"));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void notUtf8NamesTheLine() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.write(f, "text,label\nok,a\ncaf\u00e9,b\n".getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException e = fails(InvalidInputException.class, f, TextDatasetOptions.defaults());
        assertEquals("NOT_UTF8", e.code());
        assertTrue(e.getMessage().contains("line 3: byte 0xE9 is not valid UTF-8"), e.getMessage());
        assertTrue(e.getMessage().contains("iconv"), e.getMessage());
    }

    @Test
    void fileProblems() throws IOException {
        NotFoundException nf = fails(NotFoundException.class, dir.resolve("nope.csv"), TextDatasetOptions.defaults());
        assertEquals("FILE_NOT_FOUND", nf.code());
        assertEquals("UNKNOWN_FORMAT", fails("d.txt", "text,label\n").code());
        InvalidInputException pq = fails("d.parquet", "PAR1");
        assertEquals("CORRUPT_PARQUET", pq.code());
        assertTrue(pq.getMessage().contains("d.parquet: not a readable Parquet file ("), pq.getMessage());
        assertTrue(pq.getMessage().endsWith("The file may be truncated or damaged: copy or write it again."),
                pq.getMessage());
        assertEquals("FILE_UNREADABLE", fails(InvalidInputException.class, dir, TextDatasetOptions.defaults()).code());
        assertEquals("FILE_UNREADABLE", fails("bad.csv.gz", "not gzip").code());
    }

    @Test
    void badOptions() {
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class,
                () -> TextDatasetOptions.defaults().withLabelColumn("text")).code());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextFormat.parse("xls"));
        assertEquals("The 'format' parameter must be one of csv, tsv, jsonl, parquet. Got 'xls' instead.", e.getMessage());
    }
}
