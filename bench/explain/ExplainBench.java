// The Java side of bench/explain/explain.sh, run with the built jar on the class path (Java's single-file launcher):
//   java -cp loupe-cli/target/loupe.jar:loupe-cli/target/models/* bench/explain/ExplainBench.java PROBE_JSON TEXT_FILE SAMPLES
// Times, in one warm JVM with minilm-q and the stored probe: occlusion and KernelSHAP of the text (model loaded, best
// of 3 / 1 run), and attention extraction against plain inference on the same batches (32 texts of 128 tokens, batches
// of 8, best of 5). Prints one JSON line.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.explain.Attention;
import dev.loupe.explain.KernelShap;
import dev.loupe.explain.MaskedText;
import dev.loupe.explain.Occlusion;
import dev.loupe.explain.ProbabilityModel;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.probe.LogisticProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class ExplainBench {
    public static void main(String[] args) throws Exception {
        JsonNode p = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        String text = Files.readString(Path.of(args[1])).strip();
        int samples = Integer.parseInt(args[2]);
        List<String> classes = new ArrayList<>();
        p.path("classes").forEach(c -> classes.add(c.asText()));
        double[] w = new double[p.path("weights").size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = p.path("weights").get(i).asDouble();
        }
        LogisticProbe probe = LogisticProbe.of(classes.size(), p.path("dimension").asInt(), w);
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(BundledEncoder.MINILM_Q, ModelOptions.defaults().withMaxLength(128))) {
            ProbabilityModel model = ProbabilityModel.probe(enc, probe, classes);
            double occ = Double.MAX_VALUE;
            int words = 0;
            int tokens = 0;
            for (int r = 0; r < 4; r++) { // the first is warm-up
                long t0 = System.nanoTime();
                MaskedText f = new MaskedText(model, text, 64);
                Occlusion.explain(f, f.units(), 1, "spam");
                double s = (System.nanoTime() - t0) / 1e9;
                if (r > 0) {
                    occ = Math.min(occ, s);
                }
                words = f.size();
                tokens = f.tokens().size();
            }
            long t0 = System.nanoTime();
            MaskedText f = new MaskedText(model, text, 64);
            var shap = KernelShap.explain(f, f.units(), 1, "spam", samples, 0);
            double shapSecs = (System.nanoTime() - t0) / 1e9;

            Attention att = Attention.of(BundledEncoder.MINILM_Q.onnxBytes(), "minilm-q", enc.spec().sha256(), Runtime.getRuntime().availableProcessors());
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                texts.add(i + " " + text);
            }
            List<String> all = new ArrayList<>(att.outputs());
            all.add(0, OnnxTextEncoder.LAST_HIDDEN_STATE);
            double plain = Double.MAX_VALUE;
            double with = Double.MAX_VALUE;
            for (int r = 0; r < 6; r++) {
                double a = 0;
                double b = 0;
                for (int i = 0; i < texts.size(); i += 8) {
                    EncodedBatch batch = enc.tokenizer().encode(texts.subList(i, i + 8));
                    long s0 = System.nanoTime();
                    enc.session().run(batch, OnnxTextEncoder.LAST_HIDDEN_STATE);
                    long s1 = System.nanoTime();
                    att.session().runAll(batch, all);
                    long s2 = System.nanoTime();
                    a += (s1 - s0) / 1e9;
                    b += (s2 - s1) / 1e9;
                }
                if (r > 0) {
                    plain = Math.min(plain, a);
                    with = Math.min(with, b);
                }
            }
            System.out.printf(java.util.Locale.ROOT, "{\"words\": %d, \"tokens\": %d, \"occlusion_seconds\": %.3f, \"shap_seconds\": %.3f,"
                    + " \"shap_evaluations\": %d, \"shap_sum\": %.6f, \"f_text\": %.6f, \"plain_seconds\": %.3f, \"attention_seconds\": %.3f,"
                    + " \"attention_overhead\": %.3f, \"threads\": %d}%n", words, tokens, occ, shapSecs, shap.evaluations(), shap.sum(), shap.value(),
                    plain, with, with / plain - 1, Runtime.getRuntime().availableProcessors());
        }
    }
}
