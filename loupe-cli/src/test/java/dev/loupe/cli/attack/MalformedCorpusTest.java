package dev.loupe.cli.attack;

import dev.loupe.cli.EventFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack's malformed inputs as a generated corpus (seeded): prediction files, text data sets, trainer states,
 * CSV logs and TensorBoard event files, each broken in one way at a random place. Every one must end within seconds
 * with exit status 2 and one message naming the file and the place (line, column or JSON path) — never exit 1, a
 * stack trace, a hang, or numbers computed from a broken file. Event files are the one exception by design: a
 * corrupt record is a warning naming the file and its byte offset, and exactly the intact records are imported.
 */
class MalformedCorpusTest {
    static final long SEED = 20261130L;
    static final int ROWS = 30;
    @TempDir
    static Path tmp;

    /** One malformed input: the file, the command, and what the message must name. */
    record Case(String name, byte[] content, Function<Path, String[]> command, List<String> place) {
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedInputIsExit2NamingThePlace() {
        List<Case> cases = new ArrayList<>();
        Random rnd = new Random(SEED);
        predictionFiles(cases, rnd);
        dataSets(cases, rnd);
        trainerStates(cases, rnd);
        csvLogs(cases, rnd);
        assertTrue(cases.size() >= 200, "corpus size " + cases.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            int n = i;
            tests.add(DynamicTest.dynamicTest(n + " " + c.name(), () -> check(n, c)));
        }
        for (int i = 0; i < 24; i++) {
            int n = i;
            long seed = rnd.nextLong();
            tests.add(DynamicTest.dynamicTest("event file " + n, () -> eventFile(n, new Random(seed))));
        }
        return tests.stream();
    }

    void check(int n, Case c) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("c" + n));
        Path file = dir.resolve(c.name());
        Files.write(file, c.content());
        Child.Run r = Child.cli(c.command().apply(file));
        String what = c.name() + ": " + r.err();
        assertEquals(2, r.exit(), what);
        assertTrue(r.err().startsWith("error: "), what);
        assertTrue(r.err().contains(file.getFileName().toString()), "names the file: " + what);
        for (String p : c.place()) {
            assertTrue(r.err().contains(p), "names '" + p + "': " + what);
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + what);
        assertTrue(r.out().isBlank(), "no numbers from a broken file: " + r.out());
        assertFalse(Files.exists(dir.resolve("out.json")), "no JSON from a broken file");
    }

    // ---- prediction files: evaluate --predictions --------------------------------------------------------------

    static final String[] P_BREAKS = {"abc", "", "1.7", "-0.2", "NaN", "Infinity", "0x1p-2", "1,5"};

    static void predictionFiles(List<Case> cases, Random rnd) {
        for (String fmt : List.of("csv", "tsv", "jsonl")) {
            for (int k = 0; k < 28; k++) {
                int kind = k % 14;
                int bad = rnd.nextInt(ROWS);
                int line = bad + (fmt.equals("jsonl") ? 1 : 2);
                String[] place = {"line " + line};
                StringBuilder b = new StringBuilder();
                String sep = fmt.equals("tsv") ? "\t" : ",";
                if (!fmt.equals("jsonl")) {
                    b.append(String.join(sep, "id", "label", "prob_ham", "prob_spam")).append('\n');
                }
                byte[] raw = null;
                for (int i = 0; i < ROWS; i++) {
                    double p = Math.round(rnd.nextDouble() * 1000) / 1000.0;
                    String label = rnd.nextBoolean() ? "spam" : "ham";
                    String ph = Double.toString(1 - p);
                    String ps = Double.toString(p);
                    String extra = "";
                    String lab = label;
                    if (i == bad) {
                        switch (kind) {
                            case 0, 1, 2, 3, 4, 5, 6 -> ph = P_BREAKS[kind];
                            case 7 -> ps = Double.toString(p + 0.6); // the row sums to 1.6
                            case 8 -> extra = "x";
                            case 9 -> ps = null;
                            case 10 -> lab = "\"spam";
                            case 11 -> lab = "eggs";
                            case 12 -> ph = "0.5e";
                            default -> raw = new byte[] {(byte) 0xC3, (byte) 0x28};
                        }
                    }
                    if (fmt.equals("jsonl")) {
                        String jlab = kind == 10 && i == bad ? "\"spam" : "\"" + lab + "\"";
                        String jph = ph.isEmpty() ? "\"\"" : ph.matches("[0-9.eE+-]+") && !ph.endsWith("e") ? ph : "\"" + ph + "\"";
                        b.append("{\"id\": ").append(i).append(", \"label\": ").append(jlab).append(", \"prob_ham\": ").append(jph);
                        if (ps != null) {
                            b.append(", \"prob_spam\": ").append(ps);
                        }
                        b.append(extra.isEmpty() ? "" : ", \"x\": [").append("}\n");
                    } else {
                        b.append(i).append(sep).append(lab).append(sep).append(ph);
                        if (ps != null) {
                            b.append(sep).append(ps);
                        }
                        b.append(extra.isEmpty() ? "" : sep + extra).append('\n');
                    }
                    if (raw != null && i == bad) {
                        b.setLength(b.length() - 1);
                        b.append("\u0000RAW\u0000\n");
                    }
                }
                byte[] content = b.toString().getBytes(StandardCharsets.UTF_8);
                if (raw != null) {
                    content = splice(content, "\u0000RAW\u0000".getBytes(StandardCharsets.UTF_8), raw);
                }
                String name = "pred-" + kind + "-" + k / 14 + "-" + bad + "." + fmt;
                cases.add(new Case(name, content, f -> new String[] {"evaluate", "--predictions", f.toString(),
                        "--positive-label", "spam", "--bootstrap", "50", "-q", "--no-store", "--json",
                        f.resolveSibling("out.json").toString()}, List.of(place)));
            }
        }
        // whole-file breaks: empty, header only, no probability columns, duplicate column, binary
        String[][] whole = {{"empty.csv", ""}, {"header.csv", "id,label,prob_ham,prob_spam\n"},
                {"noprob.csv", "id,label,x\n1,ham,0.5\n"}, {"dup.csv", "id,label,prob_ham,prob_ham\n1,ham,0.5,0.5\n"},
                {"nolabel.csv", "id,prob_ham,prob_spam\n1,0.5,0.5\n"}, {"empty.jsonl", "\n\n"},
                {"array.jsonl", "[1, 2]\n"}, {"bom-header.csv", "\uFEFF\n"}};
        for (String[] w : whole) {
            cases.add(new Case(w[0], w[1].getBytes(StandardCharsets.UTF_8), f -> new String[] {"evaluate", "--predictions",
                    f.toString(), "--positive-label", "spam", "-q", "--no-store"}, List.of()));
        }
        byte[] bin = new byte[512];
        rnd.nextBytes(bin);
        cases.add(new Case("random.csv", bin, f -> new String[] {"evaluate", "--predictions", f.toString(), "-q", "--no-store"},
                List.of()));
    }

    static byte[] splice(byte[] content, byte[] marker, byte[] with) {
        String s = new String(content, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(new String(marker, StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(content, 0, at);
        o.writeBytes(with);
        o.write(content, at + marker.length, content.length - at - marker.length);
        return o.toByteArray();
    }

    // ---- text data sets: evaluate --model --data (refused before any model is loaded) ----------------------------

    static void dataSets(List<Case> cases, Random rnd) {
        for (String fmt : List.of("csv", "tsv", "jsonl")) {
            for (int kind = 0; kind < 6; kind++) {
                for (int rep = 0; rep < 2; rep++) {
                    int bad = rnd.nextInt(ROWS);
                    int line = bad + (fmt.equals("jsonl") ? 1 : 2);
                    String sep = fmt.equals("tsv") ? "\t" : ",";
                    StringBuilder b = new StringBuilder(fmt.equals("jsonl") ? "" : "text" + sep + "label\n");
                    byte[] raw = null;
                    for (int i = 0; i < ROWS; i++) {
                        String text = "message number " + i;
                        String label = rnd.nextBoolean() ? "spam" : "ham";
                        if (fmt.equals("jsonl")) {
                            String row = "{\"text\": \"" + text + "\", \"label\": \"" + label + "\"}";
                            if (i == bad) {
                                row = switch (kind) {
                                    case 0 -> "{\"text\": \"" + text + "\", \"label\": ";
                                    case 1 -> "[\"" + text + "\"]";
                                    case 2 -> "{\"text\": \"" + text + "\" \"label\": \"" + label + "\"}";
                                    case 3 -> "{\"text\": 12, \"label\": {\"a\": 1}}";
                                    case 4 -> "{\"text\": \"a\\x\", \"label\": \"ham\"}";
                                    default -> "\u0000RAW\u0000";
                                };
                                raw = kind == 5 ? new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'} : null;
                            }
                            b.append(row).append('\n');
                        } else {
                            String row = text + sep + label;
                            if (i == bad) {
                                row = switch (kind) {
                                    case 0 -> "\"" + text + sep + label;
                                    case 1 -> text + sep + label + sep + "extra";
                                    case 2 -> text;
                                    case 3 -> "\"a\"b\"" + sep + label;
                                    case 4 -> "\u0000RAW\u0000" + sep + label;
                                    default -> "\u0000RAW\u0000" + sep + label;
                                };
                                raw = kind >= 4 ? new byte[] {(byte) 0xC0, (byte) 0xAF} : null;
                            }
                            b.append(row).append('\n');
                        }
                    }
                    byte[] content = b.toString().getBytes(StandardCharsets.UTF_8);
                    if (raw != null) {
                        content = splice(content, "\u0000RAW\u0000".getBytes(StandardCharsets.UTF_8), raw);
                    }
                    String name = "data-" + kind + "-" + bad + "." + fmt;
                    boolean unterminated = kind == 0 && !fmt.equals("jsonl");
                    cases.add(new Case(name, content, f -> new String[] {"evaluate", "--model", "minilm-q", "--data",
                            f.toString(), "-q", "--no-store"}, List.of("line " + (unterminated ? line : line))));
                }
            }
        }
    }

    // ---- trainer states: import hf -----------------------------------------------------------------------------

    static void trainerStates(List<Case> cases, Random rnd) {
        String[] breaks = {"\"ten\"", "1.5", "true", "[1]", "{}", "\"\"", "\"1e2\"", "2.000001", "{\"step\": 1}", "\"NaN\""};
        for (int kind = 0; kind < breaks.length; kind++) {
            for (int rep = 0; rep < 3; rep++) {
                int entries = 6;
                int bad = rnd.nextInt(entries);
                StringBuilder b = new StringBuilder("{\n  \"global_step\": 60,\n  \"log_history\": [\n");
                for (int i = 0; i < entries; i++) {
                    String step = i == bad ? breaks[kind] : Integer.toString(10 * (i + 1));
                    b.append("    {\"epoch\": ").append(i * 0.1).append(", \"loss\": ").append(0.7 - i * 0.05)
                            .append(", \"step\": ").append(step).append("}").append(i < entries - 1 ? ",\n" : "\n");
                }
                b.append("  ]\n}\n");
                cases.add(new Case("trainer_state-" + kind + "-" + rep + ".json", b.toString().getBytes(StandardCharsets.UTF_8),
                        f -> new String[] {"import", "hf", f.toString(), "--store", f.resolveSibling("s.db").toString()},
                        List.of("$.log_history[" + bad + "].step")));
            }
        }
        String[][] whole = {{"ts-truncated.json", "{\"log_history\": [{\"loss\": 0.5, \"step\": 1}"},
                {"ts-array.json", "[1, 2, 3]"}, {"ts-history-object.json", "{\"log_history\": {\"loss\": 1}}"},
                {"ts-empty.json", ""}, {"ts-entry-number.json", "{\"log_history\": [1, 2]}"},
                {"ts-garbage.json", "\u00ff\u00fe not json"}};
        for (String[] w : whole) {
            cases.add(new Case(w[0], w[1].getBytes(StandardCharsets.UTF_8), f -> new String[] {"import", "hf", f.toString(),
                    "--store", f.resolveSibling("s.db").toString()}, List.of()));
        }
    }

    // ---- CSV logs: import csv ----------------------------------------------------------------------------------

    static void csvLogs(List<Case> cases, Random rnd) {
        for (int kind = 0; kind < 9; kind++) {
            for (int rep = 0; rep < 4; rep++) {
                // never the first data row: a column whose first value is not a number is a text column, skipped
                int bad = 1 + rnd.nextInt(ROWS - 1);
                int line = bad + 2;
                StringBuilder b = new StringBuilder("step,loss,accuracy\n");
                byte[] raw = null;
                for (int i = 0; i < ROWS; i++) {
                    String row = (i + 1) + "," + (1.0 / (i + 1)) + "," + (i / 100.0);
                    if (i == bad) {
                        row = switch (kind) {
                            case 0 -> "ten," + 0.5 + ",0.1";
                            case 1 -> (i + 1) + ",abc,0.1";
                            case 2 -> (i + 1) + ".5,0.5,0.1";
                            case 3 -> (i + 1) + ",0.5,0.1,9";
                            case 4 -> (i + 1) + ",0.5";
                            case 5 -> (i + 1) + ",\"0.5,0.1";
                            case 6 -> ",0.5,0.1";
                            case 7 -> "1e30,0.5,0.1";
                            default -> (i + 1) + ",\u0000RAW\u0000,0.1";
                        };
                        raw = kind == 8 ? new byte[] {(byte) 0xE2, (byte) 0x28, (byte) 0xA1} : null;
                    }
                    b.append(row).append('\n');
                }
                byte[] content = b.toString().getBytes(StandardCharsets.UTF_8);
                if (raw != null) {
                    content = splice(content, "\u0000RAW\u0000".getBytes(StandardCharsets.UTF_8), raw);
                }
                cases.add(new Case("log-" + kind + "-" + bad + ".csv", content, f -> new String[] {"import", "csv",
                        f.toString(), "--store", f.resolveSibling("s.db").toString()}, List.of("line " + line)));
            }
        }
    }

    // ---- TensorBoard event files: import tensorboard ------------------------------------------------------------

    void eventFile(int n, Random rnd) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tb" + n + "/run"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int records = 6 + rnd.nextInt(6);
        int bad = 1 + rnd.nextInt(records - 1);
        int kind = n % 4;
        long offset = 0;
        long badOffset = -1;
        int intact = 0;
        for (int step = 0; step < records; step++) {
            byte[] rec = EventFiles.record(EventFiles.scalarEvent(step, "train/loss", 1f / (step + 1)));
            if (step == bad) {
                badOffset = offset;
                switch (kind) {
                    case 0 -> rec[12 + rnd.nextInt(rec.length - 16)] ^= (byte) (1 + rnd.nextInt(255)); // data CRC
                    case 1 -> rec[rnd.nextInt(8)] ^= (byte) (1 + rnd.nextInt(255)); // length CRC
                    case 2 -> rec = java.util.Arrays.copyOf(rec, 5 + rnd.nextInt(rec.length - 6)); // truncated tail
                    default -> rec[8 + rnd.nextInt(4)] ^= (byte) (1 + rnd.nextInt(255)); // the length's own CRC
                }
                file.writeBytes(rec);
                if (kind == 2) {
                    break; // a truncated record ends the file (a writer stopped half way)
                }
            } else {
                file.writeBytes(rec);
                intact++;
            }
            offset += rec.length;
        }
        Path f = dir.resolve("events.out.tfevents.1700000000.host" + n);
        Files.write(f, file.toByteArray());
        Path store = tmp.resolve("tb" + n + "/s.db");
        Child.Run r = Child.cli("import", "tensorboard", dir.getParent().toString(), "--store", store.toString());
        String what = "kind " + kind + ": " + r.err();
        assertEquals(2, r.exit(), "a damaged record is bad input: " + what);
        assertTrue(r.err().contains(f.getFileName().toString()) && r.err().contains("record " + (bad + 1) + ", at offset " + badOffset),
                "names file, record and offset: " + what);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), what);
        // every intact record is imported all the same: after a bad length the reader resynchronises on the next valid record
        int expected = kind == 2 ? bad : intact;
        if (expected > 0) {
            assertTrue(r.err().contains(expected + " points in 1 series"), "imports exactly the intact records (" + expected + "): " + what);
        }
    }



}
