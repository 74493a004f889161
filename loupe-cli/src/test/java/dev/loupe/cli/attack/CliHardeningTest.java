package dev.loupe.cli.attack;

import dev.loupe.report.Json;
import dev.loupe.report.PanelRegistry;
import dev.loupe.server.DashboardServer;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's side of the attack's findings (issue 10), each pinned by a test. */
class CliHardeningTest {
    @TempDir
    Path tmp;

    Path sixtyRows() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../examples/spam-predictions.csv")).subList(0, 61);
        Path f = tmp.resolve("sixty.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void hugeBootstrapIsRefusedWithTheBoundAndWhy() throws Exception {
        Child.Run r = Child.cli("evaluate", "--predictions", sixtyRows().toString(), "--positive-label", "spam", "--bootstrap", "10000000", "--no-store");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("at most 100000") && r.err().contains("10000000") && r.err().contains("each keeps"), r.err());
        assertFalse(r.err().contains("OutOfMemory"), r.err());
    }

    @Test
    void outOfMemorySaysHowToGiveMoreAndExits1() throws Exception {
        Path big = Child.predictions(tmp, 60_000, 1);
        Process p = Child.java(List.of("-Xmx12m"), tmp.resolve("home"), "dev.loupe.cli.Main", "evaluate", "--predictions",
                big.toString(), "--positive-label", "spam", "--no-store", "-q").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("oom.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hung after running out of memory");
        String out = Files.readString(tmp.resolve("oom.txt"));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("ran out of memory") && out.contains("LOUPE_JAVA_OPTS"), out);
        assertFalse(out.contains("\tat ") || out.contains("java.lang.OutOfMemoryError"), out);
    }

    @Test
    void aFifoWithNoWriterNeverHangs() throws Exception {
        Path fifo = tmp.resolve("preds.csv");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        Child.Run r = Child.cli("evaluate", "--predictions", fifo.toString(), "--no-store");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("not a regular file") && r.err().contains("preds.csv"), r.err());
        Child.Run i = Child.cli("import", "csv", fifo.toString(), "--store", tmp.resolve("s.db").toString());
        assertEquals(2, i.exit(), i.err());
        Child.Run d = Child.cli("evaluate", "--model", "minilm-q", "--data", fifo.toString(), "--no-store");
        assertEquals(2, d.exit(), d.err());
    }

    @Test
    void errorMessagesReplaceControlCharacters() {
        Child.Run r = Child.cli("evaluate", "--predictions", tmp.resolve("a\u001b[31mred\u0007\u202e.csv").toString(), "--no-store");
        assertEquals(2, r.exit(), r.err());
        assertFalse(r.err().chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x202e), r.err());
        assertTrue(r.err().contains("a?[31mred??.csv"), r.err());
        Child.Run opt = Child.cli("evaluate", "--predictions", "x.csv", "--bootstrap", "1\u001b[2J");
        assertEquals(2, opt.exit(), opt.err());
        assertFalse(opt.err().contains("\u001b"), opt.err());
    }

    @Test
    void readingCommandsOnAStoreThatDoesNotExistSaySoAndCreateNone() {
        Path missing = tmp.resolve("nowhere/loupe.db");
        String at = missing.toString();
        for (String[] args : List.of(new String[] {"serve", "--port", "0"}, new String[] {"runs", "list"}, new String[] {"runs", "show", "abcd"},
                new String[] {"runs", "export", "abcd", "--format", "json"}, new String[] {"report", "abcd", "-o", tmp.resolve("r.html").toString()},
                new String[] {"plot", "abcd", "--chart", "roc", "-o", tmp.resolve("p.png").toString()})) {
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--store", at)).toArray(String[]::new);
            Child.Run r = Child.cli(all);
            String what = String.join(" ", args) + ": " + r.err();
            assertEquals(2, r.exit(), what);
            assertTrue(r.err().contains("No run store at " + missing) && r.err().contains("Record a run first (loupe evaluate / import)"), what);
            assertFalse(Files.exists(missing.getParent()), String.join(" ", args) + " created a store");
        }
    }

    @Test
    void dashboardShowsTextWithNulWhole() throws Exception {
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            String id = s.createRun(RunSpec.of("nul")).id();
            s.putPredictions(id, List.of(new PredictionRow(0, "a", "ham", "[0.9,0.1]", "ham", 0.1, "{}", "head\u0000tail")));
            s.finish(id, RunStatus.FINISHED);
            try (DashboardServer server = DashboardServer.start(s, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/api/runs/" + id + "/panels/samples")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("head\u2400tail", Json.parse(r.body()).get("rows").get(0).get("text").asText());
            }
        }
    }
}
