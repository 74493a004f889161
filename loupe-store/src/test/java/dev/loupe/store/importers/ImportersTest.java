package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.StoredMetric;
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

class ImportersTest {
    static final Path DIR = Path.of("src", "test", "resources", "importers");
    static final Path HF = DIR.resolve("bert-imdb/checkpoint-60/trainer_state.json");

    @TempDir
    Path tmp;

    private RunStore open() {
        return RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")));
    }

    @Test
    void hfTrainerStateBecomesSeriesMetricsAndParams() {
        try (RunStore s = open()) {
            ImportResult r = HfTrainerStateImporter.importFile(s, HF, null, "imdb");
            assertTrue(r.created());
            RunInfo run = s.run(r.runId());
            assertEquals("bert-imdb/checkpoint-60", run.name());
            assertEquals("imdb", run.experiment());
            assertEquals(RunStatus.FINISHED, run.status());
            List<SeriesPoint> loss = s.series(run.id(), "loss");
            assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), loss.stream().map(SeriesPoint::step).toList());
            assertEquals(0.6931, loss.get(0).value());
            assertEquals(6, s.series(run.id(), "learning_rate").size());
            assertTrue(Double.isNaN(s.series(run.id(), "grad_norm").get(3).value()), "NaN as Python writes it");
            List<SeriesPoint> acc = s.series(run.id(), "eval_accuracy");
            assertEquals(List.of(30L, 60L), acc.stream().map(SeriesPoint::step).toList());
            assertEquals(0.8825, acc.get(1).value());
            assertTrue(r.series().containsAll(List.of("loss", "learning_rate", "grad_norm", "epoch", "eval_loss",
                    "eval_accuracy", "eval_runtime")), r.series().toString());
            assertFalse(r.series().contains("train_loss"), "final train stats are metrics, not series");
            List<StoredMetric> ms = s.metrics(run.id());
            assertTrue(ms.stream().anyMatch(m -> m.name().equals("train_loss") && m.value() == 0.4363), ms.toString());
            assertEquals(16, ((Number) s.params(run.id()).get("train_batch_size")).intValue());
            assertEquals("bert-imdb/checkpoint-60", s.params(run.id()).get("best_model_checkpoint"));
        }
    }

    @Test
    void importingTwiceDoesNotDuplicatePoints() {
        try (RunStore s = open()) {
            ImportResult a = HfTrainerStateImporter.importFile(s, HF, "x", null);
            long n = s.pointCount(a.runId());
            ImportResult b = HfTrainerStateImporter.importFile(s, HF, "x", null);
            assertEquals(a.runId(), b.runId());
            assertFalse(b.created());
            assertEquals(n, s.pointCount(a.runId()));
            assertEquals(1, s.listRuns(null).size());
            ImportResult c = CsvLogImporter.importFile(s, DIR.resolve("long_log.csv"), null, null);
            CsvLogImporter.importFile(s, DIR.resolve("long_log.csv"), null, null);
            assertEquals(6, s.pointCount(c.runId()));
            assertEquals(2, s.listRuns(null).size());
        }
    }

    @Test
    void malformedTrainerStateNamesTheJsonPath() throws Exception {
        try (RunStore s = open()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> HfTrainerStateImporter.importFile(s, DIR.resolve("bad_step_trainer_state.json"), null, null));
            assertTrue(e.getMessage().contains("$.log_history[1].step must be an integer step. Got the string \"twenty\""),
                    e.getMessage());
            Path noHistory = tmp.resolve("trainer_state.json");
            Files.writeString(noHistory, "{\"global_step\": 3}");
            e = assertThrows(InvalidInputException.class, () -> HfTrainerStateImporter.importFile(s, noHistory, null, null));
            assertTrue(e.getMessage().contains("$.log_history is missing"), e.getMessage());
            Files.writeString(noHistory, "{\"log_history\": {\"step\": 1}}");
            e = assertThrows(InvalidInputException.class, () -> HfTrainerStateImporter.importFile(s, noHistory, null, null));
            assertTrue(e.getMessage().contains("$.log_history must be an array of log entries. Got an object"), e.getMessage());
            Files.writeString(noHistory, "{\"log_history\": [ {\"step\": 1, }");
            e = assertThrows(InvalidInputException.class, () -> HfTrainerStateImporter.importFile(s, noHistory, null, null));
            assertTrue(e.getMessage().contains("not valid JSON at line 1"), e.getMessage());
            assertThrows(NotFoundException.class, () -> HfTrainerStateImporter.importFile(s, tmp.resolve("nope.json"), null, null));
            assertTrue(s.listRuns(null).isEmpty(), "nothing is written for bad input");
        }
    }

    @Test
    void csvLongAndWideForms() {
        try (RunStore s = open()) {
            ImportResult l = CsvLogImporter.importFile(s, DIR.resolve("long_log.csv"), "long", null);
            assertEquals(List.of("train/acc", "train/loss"), l.series());
            assertEquals(3, s.series(l.runId(), "train/loss").size());
            assertTrue(Double.isNaN(s.series(l.runId(), "train/acc").get(2).value()));
            ImportResult w = CsvLogImporter.importFile(s, DIR.resolve("wide_log.csv"), null, null);
            assertEquals("wide_log.csv", s.run(w.runId()).name());
            assertEquals(List.of("accuracy", "loss", "lr, scaled"), w.series());
            assertEquals(2, s.series(w.runId(), "accuracy").size(), "an empty cell is no point");
            assertEquals(0.8, s.series(w.runId(), "lr, scaled").get(2).value());
        }
    }

    @Test
    void badCsvNamesLineAndColumnAndWritesNothing() throws Exception {
        try (RunStore s = open()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> CsvLogImporter.importFile(s, DIR.resolve("bad_value_log.csv"), null, null));
            assertTrue(e.getMessage().contains("line 3, column 'loss': expected a number. Got 'oops' instead."), e.getMessage());
            Path noStep = tmp.resolve("x.csv");
            Files.writeString(noStep, "time,loss\n1,0.5\n");
            e = assertThrows(InvalidInputException.class, () -> CsvLogImporter.importFile(s, noStep, null, null));
            assertTrue(e.getMessage().contains("has no step column (looked for step, global_step, epoch,"
                    + " training_iteration, iteration). Name it with --step-col"), e.getMessage());
            Files.writeString(noStep, "step,loss\n1,0.5,3\n");
            e = assertThrows(InvalidInputException.class, () -> CsvLogImporter.importFile(s, noStep, null, null));
            assertTrue(e.getMessage().contains("line 2: 3 fields but the header has 2"), e.getMessage());
            Files.writeString(noStep, "step,name,value\n1.5,loss,3\n");
            e = assertThrows(InvalidInputException.class, () -> CsvLogImporter.importFile(s, noStep, null, null));
            assertTrue(e.getMessage().contains("column 'step': expected an integer step. Got '1.5'"), e.getMessage());
            assertTrue(s.listRuns(null).isEmpty());
        }
    }

    @Test
    void csvExportOfARunImportsBack() throws Exception {
        try (RunStore s = open()) {
            ImportResult hf = HfTrainerStateImporter.importFile(s, HF, null, null);
            Path csv = tmp.resolve("export.csv");
            try (var w = Files.newBufferedWriter(csv)) {
                dev.loupe.store.export.RunExport.writeCsv(s, s.run(hf.runId()), w);
            }
            ImportResult back = CsvLogImporter.importFile(s, csv, null, null);
            assertEquals(s.pointCount(hf.runId()), s.pointCount(back.runId()));
            assertEquals(s.series(hf.runId(), "loss").stream().map(SeriesPoint::value).toList(),
                    s.series(back.runId(), "loss").stream().map(SeriesPoint::value).toList());
        }
    }
}
