package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.data.augment.Perturbation;
import dev.loupe.data.text.TextDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code evaluate --model ENCODER --augment ...}: the probe trains on the clean split plus perturbed copies. */
class AugmentTest {
    @TempDir
    Path tmp;

    @Test
    void perturbedCopiesAreSeededPerRowAndKeepIdsAndLabels() {
        List<String> ids = List.of("a", "b", "c"), texts = List.of("free money now", "meeting at noon", "claim your prize");
        TextDataset d = new TextDataset("t", ids, texts, List.of("spam", "ham", "spam"), Map.of());
        Perturbation typo = Perturbation.parse("typo:0.5", "--augment");
        TextDataset one = ProbeRun.perturbed(d, typo, 7), two = ProbeRun.perturbed(d, typo, 7), other = ProbeRun.perturbed(d, typo, 8);
        assertEquals(one.texts(), two.texts(), "the same seed gives the same copies");
        assertNotEquals(one.texts(), other.texts(), "another seed other copies");
        assertNotEquals(texts, one.texts(), "the copies are perturbed");
        assertEquals(ids, one.ids());
        assertEquals(d.labels(), one.labels());
    }

    @Test
    void augmentedProbeDiffersFromTheCleanOneIsDeterministicAndBadUseExitsTwo() throws Exception {
        Path data = ExplainCommandTest.spamTexts(tmp.resolve("spam.csv"));
        List<Double> losses = new ArrayList<>();
        for (String augment : new String[]{null, "typo:0.3,case:0.5", "typo:0.3,case:0.5"}) {
            Path out = tmp.resolve("out" + losses.size() + ".json");
            List<String> args = new ArrayList<>(List.of("evaluate", "--model", "minilm-q", "--data", data.toString(), "--max-length", "32",
                    "--bootstrap", "0", "--no-store", "-q", "--json", out.toString()));
            if (augment != null) {
                args.addAll(List.of("--augment", augment));
            }
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            JsonNode loss = new ObjectMapper().readTree(out.toFile()).findValue("log_loss");
            losses.add(loss.isObject() ? loss.path("value").asDouble() : loss.asDouble());
        }
        assertNotEquals(losses.get(0), losses.get(1), "training on perturbed copies changes the probe: " + losses);
        assertEquals(losses.get(1), losses.get(2), "the same augmentation twice gives the same probe");

        Cli bad = Cli.run("evaluate", "--model", "minilm-q", "--data", data.toString(), "--augment", "sparkle:0.1", "--no-store", "-q");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--augment") && bad.err().contains("sparkle"), bad.err());
        Cli noModel = Cli.run("evaluate", "--predictions", "../examples/spam-predictions.csv", "--positive-label", "spam",
                "--augment", "typo:0.1", "--no-store", "-q");
        assertEquals(2, noModel.exit(), noModel.err());
        assertTrue(noModel.err().contains("--augment") && noModel.err().contains("--model"), noModel.err());
    }
}
