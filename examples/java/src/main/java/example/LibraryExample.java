package example;

import dev.loupe.api.PredictionBatch;
import dev.loupe.cli.EvaluationOutputs;
import dev.loupe.data.predictions.PredictionFileOptions;
import dev.loupe.data.predictions.PredictionReader;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.Models;
import dev.loupe.report.HtmlReport;
import dev.loupe.report.PanelRegistry;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.tracking.Loupe;
import dev.loupe.store.tracking.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loupe as a Java library (docs/library.md), each step checked so that a broken API fails the build's run:
 * evaluate arrays, evaluate a stream of batches from a file, run a model, log a training run, record an evaluation
 * and write its HTML report. Run from the repository root: {@code java -cp ... example.LibraryExample [OUT_DIR]}.
 */
public final class LibraryExample {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "examples/java/target/out");
        Files.createDirectories(out);

        // 1. arrays in, every metric out: scikit-learn's roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) is 0.75
        double[] scores = {0.1, 0.4, 0.35, 0.8};
        int[] labels = {0, 0, 1, 1};
        double[] probs = new double[8];
        for (int i = 0; i < 4; i++) {
            probs[2 * i] = 1 - scores[i];
            probs[2 * i + 1] = scores[i];
        }
        EvaluationState small = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(0, 0));
        small.update(PredictionBatch.of(2, probs, labels, null, null));
        EvaluationResult r1 = small.result(List.of("neg", "pos"));
        check("roc_auc of the four rows", r1.metric("roc_auc").value(), 0.75);
        check("accuracy of the four rows (arg-max: 0, 0, 0, 1)", r1.metric("accuracy").value(), 0.75);

        // 2. a stream of batches: the predictions reader fills one reused batch at a time, the state keeps no rows
        Path file = Path.of("examples/spam-predictions.csv");
        EvaluationResult r2;
        try (PredictionReader reader = PredictionReader.open(file, PredictionFileOptions.defaults().positiveLabel("spam"))) {
            EvaluationState state = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(200, 0));
            PredictionBatch batch = reader.newBatch();
            while (reader.next(batch)) {
                state.update(batch);
            }
            r2 = state.result(reader.schema().classes());
        }
        System.out.printf("spam-predictions.csv: %d rows, accuracy %.4f [%.4f, %.4f], roc_auc %.4f%n", r2.rows(),
                r2.metric("accuracy").value(), r2.metric("accuracy").ciLow(), r2.metric("accuracy").ciHigh(),
                r2.metric("roc_auc").value());
        check("rows of spam-predictions.csv", r2.rows(), 1200);

        // 3. a model: an ONNX text-classifier directory (here the tiny test model), a batch of texts in, probabilities out
        try (ModelAdapter model = Models.open("loupe-models/src/test/resources/tiny/bert-3", ModelOptions.defaults())) {
            ModelOutput o = model.predict(List.of("I love this", "Meeting moved to 3pm"));
            List<String> names = model.spec().probabilities().orElseThrow().labels();
            double sum = 0;
            for (int c = 0; c < names.size(); c++) {
                sum += o.probability(0, c);
            }
            System.out.printf("bert-3 on 'I love this': %s = %.4f%n", names.get(o.argmax(0)), o.probability(0, o.argmax(0)));
            check("probabilities of one text sum to 1", sum, 1.0);
        }

        // 4. a training run, logged as it goes, and 5. the evaluation recorded beside it, then an HTML report of both
        Path storeFile = out.resolve("loupe.db");
        try (RunStore store = RunStore.open(StoreLocation.resolve(storeFile.toString()))) {
            try (Run run = Loupe.start(store, false, new dev.loupe.store.RunSpec("example", "training",
                    Loupe.defaultProvenance(Map.of("lr", 0.01)), null), Map.of("lr", 0.01), Run.Options.DEFAULT)) {
                for (int step = 0; step < 20; step++) {
                    run.log("train/loss", step, 1.0 / (1 + step));
                }
            }
            RunInfo eval = EvaluationOutputs.record(store, "example", "evaluate spam-predictions.csv",
                    EvaluationOutputs.sha256(file), null, "LibraryExample", Map.of("predictions", file.toString()), r2,
                    Map.of(), 1000);
            List<RunInfo> runs = store.listRuns("example");
            check("runs in the example experiment", runs.size(), 2);
            String html = HtmlReport.render(store, List.of(eval.id()), PanelRegistry.standard());
            Files.writeString(out.resolve("report.html"), html);
            check("the report names the run", html.contains("spam-predictions.csv") ? 1 : 0, 1);
        }
        System.out.println("wrote " + out.resolve("report.html") + "; library example: 6 passed, 0 failed");
    }

    private static void check(String what, double got, double want) {
        if (Math.abs(got - want) > 1e-9) {
            System.err.println("FAILED: " + what + ": expected " + want + ", got " + got);
            System.exit(1);
        }
    }
}
