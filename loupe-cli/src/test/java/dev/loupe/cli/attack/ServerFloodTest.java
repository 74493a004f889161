package dev.loupe.cli.attack;

import dev.loupe.cli.Main;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flood the attack sent, bounded: {@code loupe serve} in its own JVM with {@code -Xmx256m}, 2,000 requests over
 * 50 connections on mixed routes, 16 live streams of a running run of 2,000,000 points (and 4 more, refused with
 * 503) while points keep arriving, and 20 clients that send a request and never read. Every request answers 200,
 * the server never runs out of memory, still answers afterwards, and stops on SIGTERM. Prints p50 / p99 and the
 * server's peak resident memory (docs/BENCHMARKS.md records them).
 */
class ServerFloodTest {
    static final int POINTS = 2_000_000;
    static final int REQUESTS = 2_000;
    static final int CONNECTIONS = 50;
    @TempDir
    Path tmp;

    @Test
    void boundedFloodAgainstA256MegabyteServer() throws Exception {
        Path storeFile = tmp.resolve("loupe.db");
        String evalId = evaluate(storeFile);
        String liveId;
        try (RunStore store = RunStore.open(StoreLocation.sqlite(storeFile))) {
            RunInfo live = store.createRun(RunSpec.of("live-2M"));
            liveId = live.id();
            List<SeriesPoint> batch = new ArrayList<>(200_000);
            for (int i = 0; i < POINTS; i++) {
                batch.add(new SeriesPoint(i % 2 == 0 ? "train/loss" : "train/accuracy", i / 2, 0, Math.sin(i / 1e4)));
                if (batch.size() == 200_000) {
                    store.appendPoints(liveId, batch);
                    batch.clear();
                }
            }
            store.heartbeat(liveId);
        }
        Process server = Child.java(List.of("-Xmx256m"), tmp.resolve("home"), "dev.loupe.cli.Main", "serve", "--port", "0",
                "--store", storeFile.toString()).redirectError(tmp.resolve("serve.err").toFile()).start();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = null;
        List<Socket> held = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(line));
            assertTrue(m.find(), "serve printed " + line + "; " + Files.readString(tmp.resolve("serve.err")));
            int port = Integer.parseInt(m.group(1));
            String live = liveId;
            writer = new Thread(() -> appendWhileFlooding(storeFile, live, writing), "points-writer");
            writer.start();

            // 16 live streams read continuously; 4 more are refused; 20 clients never read their answers
            AtomicInteger events = new AtomicInteger();
            int open = 0;
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                Socket s = request(port, "/api/runs/" + liveId + "/stream");
                held.add(s);
                s.setSoTimeout(30_000);
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                s.setSoTimeout(0);
                if (status.endsWith("200")) {
                    open++;
                    Thread t = new Thread(() -> drain(s, events), "stream-reader");
                    t.setDaemon(true);
                    t.start();
                } else {
                    assertTrue(status.endsWith("503"), "a stream over the limit: " + status);
                    refused++;
                }
            }
            assertEquals(16, open, "streams open");
            assertEquals(4, refused, "streams refused");
            for (int i = 0; i < 20; i++) {
                Socket s = request(port, "/api/runs/" + liveId);
                s.setReceiveBufferSize(1024);
                held.add(s);
            }

            String[] routes = {"/", "/runs/" + evalId, "/runs/" + liveId, "/api/runs", "/api/runs/" + liveId,
                    "/api/runs/" + evalId, "/api/runs/" + evalId + "/panels/samples?sort=-loss",
                    "/api/runs/" + evalId + "/panels/roc", "/api/runs/" + evalId + "/panels/threshold",
                    "/api/runs/" + liveId + "/panels/curves", "/static/boot.js", "/compare?runs=" + evalId + "," + liveId};
            long[] nanos = new long[REQUESTS];
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(CONNECTIONS);
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            for (int c = 0; c < CONNECTIONS; c++) {
                Thread t = new Thread(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10)).build();
                    try {
                        for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                            long s0 = System.nanoTime();
                            int code;
                            try {
                                code = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + routes[i % routes.length]))
                                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                            } catch (Exception e) {
                                code = -1;
                            }
                            nanos[i] = System.nanoTime() - s0;
                            statuses.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
                        }
                    } finally {
                        done.countDown();
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            assertTrue(done.await(10, TimeUnit.MINUTES), "the flood did not end");
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double p50 = sorted[REQUESTS / 2] / 1e6;
            double p99 = sorted[(int) (REQUESTS * 0.99)] / 1e6;
            long rssKb = peakRssKb(server.pid());
            System.out.printf(Locale.ROOT, "flood: %d requests at %d connections in %.1f s (%.0f/s), p50 %.0f ms, p99 %.0f ms,"
                    + " max %.0f ms; 16 live streams (%d events) on a %,d-point run, 20 clients not reading; -Xmx256m,"
                    + " peak RSS %d MB; statuses %s%n", REQUESTS, CONNECTIONS, seconds, REQUESTS / seconds, p50, p99,
                    sorted[REQUESTS - 1] / 1e6, events.get(), POINTS, rssKb / 1024, statuses);
            assertEquals(Map.of(200, REQUESTS), Map.copyOf(statuses.entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))), "every request answered 200");
            assertTrue(events.get() >= 16, "every stream got its first event: " + events.get());
            assertTrue(server.isAlive(), "the server is still up");
            HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode());
        } finally {
            writing.set(false);
            if (writer != null) {
                writer.join(10_000);
            }
            for (Socket s : held) {
                s.close();
            }
            server.destroy(); // SIGTERM
            boolean stopped = server.waitFor(20, TimeUnit.SECONDS);
            if (!stopped) {
                server.destroyForcibly();
            }
            String err = Files.readString(tmp.resolve("serve.err"));
            assertFalse(err.contains("OutOfMemory") || err.contains("out of memory"), err);
            assertTrue(stopped, "serve did not stop on SIGTERM");
        }
    }

    static String evaluate(Path store) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"evaluate", "--predictions", "../examples/spam-predictions.csv", "--positive-label",
                "spam", "--bootstrap", "50", "--store", store.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        Matcher m = Pattern.compile("recorded run ([0-9a-f]{12})").matcher(err.toString());
        assertTrue(m.find(), err.toString());
        return m.group(1);
    }

    /** A logger's points keep arriving while the flood runs (100 a series every 200 ms), with heartbeats. */
    static void appendWhileFlooding(Path storeFile, String runId, AtomicBoolean writing) {
        try (RunStore store = RunStore.open(StoreLocation.sqlite(storeFile))) {
            long step = POINTS / 2;
            while (writing.get()) {
                List<SeriesPoint> points = new ArrayList<>();
                for (int i = 0; i < 100; i++, step++) {
                    points.add(new SeriesPoint("train/loss", step, 0, 0.1));
                    points.add(new SeriesPoint("train/accuracy", step, 0, 0.9));
                }
                store.appendPoints(runId, points);
                store.heartbeat(runId);
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Socket request(int port, String path) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream o = s.getOutputStream();
        o.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
        return s;
    }

    static void drain(Socket s, AtomicInteger events) {
        try (InputStream in = s.getInputStream()) {
            byte[] b = new byte[65536];
            String tail = "";
            int n;
            while ((n = in.read(b)) > 0) {
                String text = tail + new String(b, 0, n, StandardCharsets.ISO_8859_1);
                int at = 0;
                while ((at = text.indexOf("event: points", at)) >= 0) {
                    events.incrementAndGet();
                    at += 13;
                }
                tail = text.substring(Math.max(0, text.length() - 12));
            }
        } catch (Exception e) {
            // closed at the end of the test
        }
    }

    static long peakRssKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return -1;
    }
}
