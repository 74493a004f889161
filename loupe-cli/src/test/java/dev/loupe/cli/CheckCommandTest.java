package dev.loupe.cli;

import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.StoredMetric;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loupe check}: gates pass and fail on the stored values (exit 0 / 3), --conservative, --junit, bad gates exit 2. */
class CheckCommandTest {
    static final Path SPAM = Path.of("..", "examples", "spam-predictions.csv");

    @TempDir
    Path tmp;
    String db;
    String run;
    String baseline;
    Map<String, StoredMetric> m = new HashMap<>();

    @BeforeEach
    void record() {
        db = tmp.resolve("runs.db").toString();
        Cli a = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--bootstrap", "100",
                "--store", db, "--group-col", "source");
        assertEquals(0, a.exit(), a.err());
        Cli b = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--bootstrap", "100",
                "--store", db, "--threshold", "0.7");
        assertEquals(0, b.exit(), b.err());
        try (RunStore s = RunStore.open(StoreLocation.sqlite(Path.of(db)))) {
            for (dev.loupe.store.RunInfo r : s.listRuns(null)) {
                boolean grouped = s.metrics(r.id()).stream().anyMatch(x -> x.name().equals("demographic_parity_difference"));
                if (grouped) {
                    run = r.id();
                } else {
                    baseline = r.id();
                }
            }
            s.metrics(run).forEach(x -> m.put(x.name(), x));
        }
    }

    Cli check(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "check";
        all[1] = run;
        all[2] = "--store";
        all[3] = db;
        System.arraycopy(args, 0, all, 4, args.length);
        return Cli.run(all);
    }

    @Test
    void gatesPassAndFailOnTheStoredValues() throws Exception {
        double acc = m.get("accuracy").value();
        Cli pass = check("--require", "accuracy>=" + (acc - 0.001), "--max-gap", "demographic_parity_difference<=0.95");
        assertEquals(0, pass.exit(), pass.out() + pass.err());
        assertTrue(pass.out().contains("PASS   --require accuracy>="), pass.out());
        assertTrue(pass.out().contains(TableReport.num(acc)), pass.out());
        assertTrue(pass.out().contains("all 2 gates hold"), pass.out());

        Cli fail = check("--require", "accuracy>=" + (acc + 0.001), "--max-gap", "demographic_parity_difference<=0.1",
                "--junit", tmp.resolve("gates.xml").toString());
        assertEquals(CheckCommand.GATE_FAILED, fail.exit(), fail.out() + fail.err());
        assertTrue(fail.out().contains("2 of 2 gates failed (exit 3)"), fail.out());
        String xml = Files.readString(tmp.resolve("gates.xml"));
        assertTrue(xml.contains("tests=\"2\" failures=\"2\""), xml);
        assertTrue(xml.contains("<failure message=\"value " + TableReport.num(acc)), xml);
        assertTrue(xml.contains("name=\"--require accuracy&gt;="), xml);

        // conservative: the value passes but the interval's lower end does not
        double lo = m.get("accuracy").ciLow();
        String mid = String.valueOf((lo + acc) / 2);
        assertEquals(0, check("--require", "accuracy>=" + mid).exit());
        Cli cons = check("--require", "accuracy>=" + mid, "--conservative");
        assertEquals(CheckCommand.GATE_FAILED, cons.exit(), cons.out());
        assertTrue(cons.out().contains("FAIL") && cons.out().contains(TableReport.num(lo)), cons.out());
    }

    @Test
    void perSliceMetricsAreGatesToo() {
        // a stored slice metric's name holds '=' inside its brackets: accuracy[source=spam-1]
        double spam = m.get("accuracy[source=spam-1]").value();
        Cli pass = check("--require", "accuracy[source=spam-1]>=" + (spam - 0.001), "--require", "recall[source=hard-ham-1]<1");
        // recall of spam in a slice without spam is undefined (null): that gate fails, saying so
        assertEquals(CheckCommand.GATE_FAILED, pass.exit(), pass.out() + pass.err());
        assertTrue(pass.out().contains("PASS   --require accuracy[source=spam-1]>="), pass.out());
        assertTrue(pass.out().contains("FAIL   --require recall[source=hard-ham-1]<1"), pass.out());
        Cli fail = check("--require", "accuracy[source=spam-1] >= " + (spam + 0.001));
        assertEquals(CheckCommand.GATE_FAILED, fail.exit(), fail.out() + fail.err());
        Cli drop = Cli.run("check", run, "--store", db, "--baseline", run, "--max-drop", "accuracy[source=spam-1]=0");
        assertEquals(0, drop.exit(), drop.out() + drop.err());
        Cli unknown = check("--require", "accuracy[source=spam-3]>=0.5");
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("has no metric 'accuracy[source=spam-3]'"), unknown.err());
    }

    @Test
    void maxDropAgainstABaseline() {
        Map<String, StoredMetric> b = new HashMap<>();
        try (RunStore s = RunStore.open(StoreLocation.sqlite(Path.of(db)))) {
            s.metrics(baseline).forEach(x -> b.put(x.name(), x));
        }
        double drop = b.get("f1_macro").value() - m.get("f1_macro").value();
        Cli r = check("--baseline", baseline, "--max-drop", "f1_macro=" + (Math.abs(drop) + 0.001));
        assertEquals(0, r.exit(), r.out() + r.err());
        Cli lossGate = check("--baseline", baseline, "--max-drop", "log_loss=0");
        // log loss does not depend on the threshold: no drop
        assertEquals(0, lossGate.exit(), lossGate.out());
        if (drop > 0) {
            assertEquals(CheckCommand.GATE_FAILED, check("--baseline", baseline, "--max-drop", "f1_macro=" + drop / 2).exit());
        } else {
            assertEquals(CheckCommand.GATE_FAILED, Cli.run("check", baseline, "--store", db, "--baseline", run,
                    "--max-drop", "f1_macro=" + (-drop / 2)).exit());
        }
    }

    @Test
    void badGatesExit2NamingTheGate() {
        for (String[] bad : List.of(new String[] {"--require", "accuracy=>0.9"}, new String[] {"--require", "accuracy>=high"},
                new String[] {"--require", "acuracy>=0.9"}, new String[] {"--max-drop", "f1_macro=0.01"}, new String[] {})) {
            Cli r = check(bad);
            assertEquals(2, r.exit(), String.join(" ", bad) + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            if (bad.length > 0) {
                assertTrue(r.err().contains(bad[0]), r.err());
            }
        }
        assertTrue(check("--require", "acuracy>=0.9").err().contains("has no metric 'acuracy'"));
    }
}
