package dev.loupe.cli.attack;

import dev.loupe.report.PanelRegistry;
import dev.loupe.server.DashboardServer;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Store faults that need a mount: a disk that fills up (a small tmpfs) and a store on a read-only mount. Mounting
 * needs root, as CI has: elsewhere these tests are skipped with the reason, and under CI a missing privilege fails.
 */
class MountedStoreTest {
    @TempDir
    Path tmp;

    void needMounts() throws Exception {
        Path probe = Files.createDirectories(tmp.resolve("probe"));
        boolean ok = Child.root() && Child.system(tmp.resolve("probe.log"), "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                probe.toString()) == 0;
        if (ok) {
            Child.system(tmp.resolve("probe.log"), "umount", probe.toString());
        }
        String why = "mounting a tmpfs / read-only bind needs root (user " + System.getProperty("user.name") + ")";
        if (!ok && Child.ci()) {
            fail("CI must run the disk-full and read-only store tests: " + why);
        }
        Assumptions.assumeTrue(ok, why + "; skipped outside CI");
    }

    @Test
    void diskFullSaysSoAndKeepsNothingPartial() throws Exception {
        needMounts();
        Path big = Child.predictions(tmp, 40_000, 3); // 1.1 MB: the artifact copy fills the disk
        Path mid = Child.predictions(tmp, 10_000, 3); // its file fits, its kept rows do not
        for (Path input : new Path[] {big, mid}) {
            Path disk = Files.createDirectories(tmp.resolve("disk-" + input.getFileName()));
            assertEquals(0, Child.system(tmp.resolve("mount.log"), "mount", "-t", "tmpfs", "-o", "size=1000k", "tmpfs", disk.toString()));
            try {
                String store = disk.resolve("loupe.db").toString();
                Child.Run first = Child.cli("import", "csv", "../loupe-store/src/test/resources/importers/long_log.csv", "--store", store);
                assertEquals(0, first.exit(), first.err());
                Child.Run r = Child.cli("evaluate", "--predictions", input.toString(), "--positive-label", "spam", "--bootstrap", "20",
                        "--store", store, "-q");
                assertEquals(1, r.exit(), r.err());
                assertTrue(r.err().startsWith("error: disk full: "), r.err());
                assertTrue(r.err().contains("Free some space"), r.err());
                assertFalse(r.err().contains("no transaction is active") || r.err().contains("Exception"), r.err());
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
                     ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    assertEquals("ok", rs.getString(1));
                }
                try (RunStore s = RunStore.open(StoreLocation.sqlite(Path.of(store)))) {
                    assertEquals(1, s.listRuns(null).size(), "only the import: the evaluation left no run");
                }
                try (var files = Files.walk(disk.resolve("artifacts"))) {
                    assertEquals(0, files.filter(Files::isRegularFile).count(), "no artifact of the failed run is left");
                } catch (java.nio.file.NoSuchFileException e) {
                    // no artifact directory at all: nothing left either
                }
            } finally {
                Child.system(tmp.resolve("umount.log"), "umount", disk.toString());
            }
        }
    }

    @Test
    void readOnlyStoreIsReadByEveryReadingCommand() throws Exception {
        needMounts();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Child.Run made = Child.cli("evaluate", "--predictions", "../examples/spam-predictions.csv", "--positive-label", "spam",
                "--bootstrap", "20", "--store", src.resolve("loupe.db").toString(), "-q");
        assertEquals(0, made.exit(), made.err());
        assertEquals(0, Child.system(tmp.resolve("mount.log"), "mount", "--bind", src.toString(), ro.toString()));
        try {
            assertEquals(0, Child.system(tmp.resolve("mount.log"), "mount", "-o", "remount,bind,ro", ro.toString()));
            String store = ro.resolve("loupe.db").toString();
            Child.Run list = Child.cli("runs", "list", "--store", store);
            assertEquals(0, list.exit(), list.err());
            String id = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
            Child.Run show = Child.cli("runs", "show", id, "--store", store, "--json");
            assertEquals(0, show.exit(), show.err());
            assertTrue(show.out().contains("\"roc_auc\""), show.out());
            Child.Run export = Child.cli("runs", "export", id, "--store", store, "--format", "csv", "-o", tmp.resolve("e.csv").toString());
            assertEquals(0, export.exit(), export.err());
            Child.Run write = Child.cli("import", "csv", "../loupe-store/src/test/resources/importers/long_log.csv", "--store", store);
            assertEquals(2, write.exit(), write.err());
            assertTrue(write.err().contains("read-only"), write.err());
            try (RunStore s = RunStore.openReadOnly(StoreLocation.sqlite(Path.of(store)));
                 DashboardServer server = DashboardServer.start(s, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/api/runs/" + id + "/panels/overview")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            assertFalse(Files.exists(src.resolve("loupe.db-wal")) && Files.size(src.resolve("loupe.db-wal")) > 0);
        } finally {
            Child.system(tmp.resolve("umount.log"), "umount", ro.toString());
        }
    }
}
