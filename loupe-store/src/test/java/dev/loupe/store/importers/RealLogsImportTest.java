package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imports of small copies of logs as real tools write them (Keras, Ray Tune, Lightning, HF Trainer, TensorBoard). */
class RealLogsImportTest {
    static final Path DIR = ImportersTest.DIR;

    @TempDir
    Path tmp;

    private RunStore open() {
        return RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")));
    }

    private static List<Long> steps(RunStore s, String run, String series) {
        return s.series(run, series).stream().map(SeriesPoint::step).toList();
    }

    @Test
    void kerasCsvLoggerStepsByEpochAndKeepsInfinity() {
        try (RunStore s = open()) {
            ImportResult r = CsvLogImporter.importFile(s, DIR.resolve("keras/training.log"), null, null);
            assertEquals(List.of("step column 'epoch'"), r.notes());
            assertEquals(List.of("accuracy", "loss", "val_accuracy", "val_loss"), r.series());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), steps(s, r.runId(), "val_loss"));
            assertEquals(Double.POSITIVE_INFINITY, s.series(r.runId(), "val_loss").get(4).value());
            assertEquals(0.3263508379459381, s.series(r.runId(), "loss").get(1).value());
            assertEquals(20, r.points());
            assertEquals(20, r.newPoints());
            assertEquals(0, s.series(r.runId(), "loss").get(0).wallTime(), "no time column: no invented wall time");
            assertEquals("dev", s.run(r.runId()).provenance().loupeVersion(), "the import records Loupe's version");
        }
    }

    @Test
    void rayTuneProgressStepsByTrainingIterationAndSkipsTextColumns() {
        try (RunStore s = open()) {
            ImportResult r = CsvLogImporter.importFile(s, DIR.resolve("ray/progress.csv"), null, null);
            assertEquals("step column 'training_iteration'", r.notes().get(0));
            String notes = String.join("\n", r.notes());
            for (String col : List.of("checkpoint_dir_name", "done", "trial_id", "date", "hostname", "node_ip")) {
                assertTrue(notes.contains("column '" + col + "' skipped: not numeric"), notes);
            }
            assertTrue(notes.contains("column 'done' skipped: not numeric ('False' on line 2)"), notes);
            assertFalse(r.series().contains("done"));
            assertTrue(r.series().containsAll(List.of("mean_accuracy", "loss", "config/lr", "time_total_s")), r.series().toString());
            assertEquals(List.of(1L, 2L, 3L, 4L), steps(s, r.runId(), "mean_accuracy"));
            assertEquals(0.78125, s.series(r.runId(), "mean_accuracy").get(3).value());
        }
    }

    @Test
    void lightningMetricsPrefersStepOverEpoch() {
        try (RunStore s = open()) {
            ImportResult r = CsvLogImporter.importFile(s, DIR.resolve("lightning/version_0/metrics.csv"), null, null);
            assertEquals("step column 'step'", r.notes().get(0));
            assertEquals(List.of(49L, 99L, 149L, 199L), steps(s, r.runId(), "train_loss_step"));
            assertEquals(List.of(99L, 199L), steps(s, r.runId(), "val_acc"));
            assertEquals(List.of(49L, 99L, 149L, 199L), steps(s, r.runId(), "epoch"));
            assertEquals(0.8203, s.series(r.runId(), "val_acc").get(1).value());
            ImportResult byEpoch = CsvLogImporter.importFile(s, DIR.resolve("lightning/version_0/metrics.csv"), "e", null, "epoch");
            assertEquals("step column 'epoch'", byEpoch.notes().get(0));
            assertEquals(List.of(0L, 1L), steps(s, byEpoch.runId(), "val_acc"));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> CsvLogImporter.importFile(s, DIR.resolve("keras/training.log"), null, null, "iter"));
            assertTrue(e.getMessage().contains("--step-col 'iter' is not a column"), e.getMessage());
        }
    }

    @Test
    void hfEntriesWithoutAStepAreSkippedWithACount() {
        try (RunStore s = open()) {
            ImportResult r = HfTrainerStateImporter.importFile(s, DIR.resolve("hf-predict/checkpoint-40/trainer_state.json"), null, null);
            assertEquals("hf-predict/checkpoint-40", s.run(r.runId()).name());
            String notes = String.join("\n", r.notes());
            assertTrue(notes.contains("skipped 2 log_history entries without a step, e.g. $.log_history[7] (predict_loss,"
                    + " predict_accuracy, predict_runtime); $.log_history[8] (test_loss, test_accuracy, test_runtime)"), notes);
            assertFalse(r.series().stream().anyMatch(n -> n.startsWith("predict_")), r.series().toString());
            assertEquals(List.of(10L, 20L, 30L, 40L), steps(s, r.runId(), "loss"));
            assertEquals(Double.POSITIVE_INFINITY, s.series(r.runId(), "grad_norm").get(2).value());
            assertEquals(0, s.series(r.runId(), "loss").get(0).wallTime(), "the Trainer logs no times: none invented");
            assertEquals(6, r.metrics());
            assertEquals("dev", s.run(r.runId()).provenance().loupeVersion());
        }
    }

    @Test
    void hfStepOutOfRangeIsRefusedWithItsPath() throws Exception {
        Path f = tmp.resolve("trainer_state.json");
        try (RunStore s = open()) {
            for (String step : List.of("1e20", "100000000000000000000", "1.5")) {
                Files.writeString(f, "{\"log_history\": [{\"loss\": 1, \"step\": 1}, {\"loss\": 0.5, \"step\": " + step + "}]}");
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> HfTrainerStateImporter.importFile(s, f, null, null), step);
                assertTrue(e.getMessage().contains("$.log_history[1].step must be an integer step"), e.getMessage());
                assertEquals(2, e.exitCode());
            }
            assertTrue(s.listRuns(null).isEmpty(), "nothing stored");
            Files.writeString(f, "{\"log_history\": [{\"loss\": 1, \"step\": 9007199254740992.0}]}");
            ImportResult r = HfTrainerStateImporter.importFile(s, f, null, null);
            assertEquals(List.of(9007199254740992L), steps(s, r.runId(), "loss"));
        }
    }

    @Test
    void csvDuplicateColumnHeaderOnlyAndHugeStepAreRefused() throws Exception {
        Path f = tmp.resolve("log.csv");
        try (RunStore s = open()) {
            Files.writeString(f, "step,loss,loss\n1,0.5,0.4\n");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvLogImporter.importFile(s, f, null, null));
            assertEquals("DUPLICATE_COLUMN", e.code());
            assertTrue(e.getMessage().contains("line 1: column 'loss' appears twice (#2 and #3). Rename one."), e.getMessage());
            Files.writeString(f, "step,loss,accuracy\n");
            e = assertThrows(InvalidInputException.class, () -> CsvLogImporter.importFile(s, f, null, null));
            assertTrue(e.getMessage().contains("has no data rows (only a header)"), e.getMessage());
            Files.writeString(f, "step,loss\n1e20,0.5\n");
            e = assertThrows(InvalidInputException.class, () -> CsvLogImporter.importFile(s, f, null, null));
            assertTrue(e.getMessage().contains("line 2, column 'step': expected an integer step of at most 2^53"), e.getMessage());
            assertTrue(s.listRuns(null).isEmpty(), "no empty run");
        }
    }

    @Test
    void reImportCountsNewPointsAndAShrunkFileReplacesItsPoints() throws Exception {
        Path f = tmp.resolve("trainer_state.json");
        Path big = DIR.resolve("bert-imdb/checkpoint-60/trainer_state.json");
        Files.copy(big, f);
        try (RunStore s = open()) {
            ImportResult a = HfTrainerStateImporter.importFile(s, f, "run", null);
            assertTrue(a.describe().contains(" (" + a.points() + " new points)"), a.describe());
            ImportResult b = HfTrainerStateImporter.importFile(s, f, "run", null);
            assertEquals(0, b.newPoints());
            assertTrue(b.describe().startsWith("re-imported ") && b.describe().contains("(0 new points)"), b.describe());
            // checkpoint-60 → checkpoint-30: the same path now holds a shorter history
            String text = Files.readString(big);
            int cut = text.indexOf("    {\"epoch\": 1.3333");
            String shorter = text.substring(0, cut).replaceAll(",\\s*$", "") + "\n  ],\n  \"global_step\": 30\n}\n";
            Files.writeString(f, shorter);
            ImportResult c = HfTrainerStateImporter.importFile(s, f, "run", null);
            assertEquals(a.runId(), c.runId());
            assertTrue(c.replaced() > 0, c.describe());
            assertTrue(c.describe().contains("shrank or was replaced"), c.describe());
            assertEquals(List.of(10L, 20L, 30L), steps(s, c.runId(), "loss"), "no stale point stays");
            assertEquals(c.points(), s.pointCount(c.runId()));
            // appending again is no replacement
            Files.copy(big, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ImportResult d = HfTrainerStateImporter.importFile(s, f, "run", null);
            assertEquals(0, d.replaced());
            assertEquals(a.points() - c.points(), d.newPoints());
        }
    }

    @Test
    void tensorBoardRunsNameTheirFolderAndTheKindsSkipped() {
        try (RunStore s = open()) {
            TensorBoardImporter.Result r = TensorBoardImporter.importDir(s, DIR.resolve("tb"), null);
            assertTrue(r.problems().isEmpty(), r.problems().toString());
            assertEquals(2, r.runs().size());
            ImportResult train = r.runs().get(0);
            assertEquals("tb/train", train.source());
            assertEquals("tb/validation", r.runs().get(1).source());
            assertEquals(List.of("skipped 4 histograms, 4 text (not scalars)"), train.notes());
            assertEquals(java.util.Map.of("histogram", 4L, "text", 4L), r.skipped());
            List<Long> steps = steps(s, train.runId(), "epoch_loss");
            assertEquals(30, steps.size(), "the restarted run's file continues the folder's run");
            assertEquals(29L, steps.get(29));
            assertEquals(1.0 / 26 + 0.01 * Math.sin(25), s.series(train.runId(), "epoch_loss").get(25).value(), 1e-7);
            assertEquals(1_700_000_000_000L + 25 * 2000, s.series(train.runId(), "epoch_loss").get(25).wallTime());
            assertEquals("dev", s.run(train.runId()).provenance().loupeVersion());
        }
    }

    @Test
    void tensorBoardRefusesAPlainFileAndMakesNoEmptyRun() throws Exception {
        Path plain = tmp.resolve("notes.txt");
        Files.writeString(plain, "not an event file\n");
        Path garbage = tmp.resolve("g/events.out.tfevents.1.host");
        Files.createDirectories(garbage.getParent());
        Files.writeString(garbage, "not an event file either, but named like one\n");
        try (RunStore s = open()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> TensorBoardImporter.importDir(s, plain, null));
            assertTrue(e.getMessage().contains("is a file but not a TensorBoard event file"), e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> TensorBoardImporter.importDir(s, garbage.getParent(), null));
            assertTrue(e.getMessage().contains("No scalar summaries in the event files under"), e.getMessage());
            assertTrue(s.listRuns(null).isEmpty(), "no empty run");
        }
    }
}
