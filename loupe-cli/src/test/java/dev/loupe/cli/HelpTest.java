package dev.loupe.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help: no picocli warnings (an unescaped '%' makes picocli print "[picocli WARN]" and the raw text),
 * a summary line in {@code loupe --help} that is a complete sentence, and no sentence broken across two description
 * lines (each description entry is one paragraph that picocli wraps itself).
 */
class HelpTest {
    /** The command and its subcommands, hidden ones (internal, such as cds-training) left out. */
    static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().stream().filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .forEach(sub -> out.addAll(all(sub)));
        return out;
    }

    @Test
    void helpPrintsNoPicocliWarning() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> problems = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine cl : all(Main.commandLine())) {
                List<String> args = new ArrayList<>(List.of(cl.getCommandSpec().qualifiedName(" ").split(" ")));
                args.remove(0); // "loupe"
                args.add("--help");
                Cli r = Cli.run(args.toArray(String[]::new));
                assertEquals(0, r.exit(), args + ": " + r.err());
                String all = r.out() + r.err() + captured.toString(StandardCharsets.UTF_8);
                if (all.contains("[picocli WARN]")) {
                    problems.add(args + ":\n" + all);
                }
                captured.reset();
            }
        } finally {
            System.setErr(saved);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyTextFormatsCleanly() {
        List<String> problems = new ArrayList<>();
        for (CommandLine cl : all(Main.commandLine())) {
            for (String s : texts(cl.getCommandSpec())) {
                try {
                    String.format(Locale.ROOT, s);
                } catch (IllegalFormatException e) {
                    problems.add(cl.getCommandSpec().qualifiedName() + ": '" + s + "' (" + e.getMessage() + "); write % as %%");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void commandSummariesAreCompleteSentences() {
        CommandLine root = Main.commandLine();
        List<String> problems = new ArrayList<>();
        for (CommandLine cl : all(root)) {
            // picocli lists a command by its header when it has one, else by its first description entry
            String[] d = cl.getCommandSpec().usageMessage().header().length > 0
                    ? cl.getCommandSpec().usageMessage().header() : cl.getCommandSpec().usageMessage().description();
            if (d.length == 0 || !sentence(d[0])) {
                problems.add(cl.getCommandSpec().qualifiedName() + ": " + (d.length == 0 ? "no description" : "'" + d[0] + "'"));
            }
        }
        assertTrue(problems.isEmpty(), "summaries that are not one complete sentence:\n" + String.join("\n", problems));
        String help = Cli.run("--help").out();
        assertTrue(help.contains("evaluate") && help.contains("runs"), help);
    }

    @Test
    void noSentenceIsBrokenAcrossLines() {
        List<String> problems = new ArrayList<>();
        for (CommandLine cl : all(Main.commandLine())) {
            CommandSpec spec = cl.getCommandSpec();
            List<String> paragraphs = new ArrayList<>(List.of(spec.usageMessage().description()));
            for (ArgSpec a : spec.args()) {
                paragraphs.addAll(List.of(a.description()));
            }
            for (String f : spec.usageMessage().footer()) {
                if (!f.startsWith("  ")) { // example command lines are exempt
                    paragraphs.add(f);
                }
            }
            for (String p : paragraphs) {
                if (!p.isBlank() && !p.strip().endsWith(":") && !sentence(p)) {
                    problems.add(spec.qualifiedName() + ": '" + p + "'");
                }
            }
        }
        assertTrue(problems.isEmpty(), "description lines that end mid-sentence:\n" + String.join("\n", problems));
    }

    @Test
    void theCheckSeesABrokenSentence() {
        assertFalse(sentence("Evaluate a file of model predictions: accuracy, precision/recall/F1, MCC, kappa, ROC/PR AUC, log loss,"));
        assertTrue(sentence("List runs, newest first."));
    }

    static boolean sentence(String s) {
        String t = s.replace("%n", "").strip();
        return t.endsWith(".") || t.endsWith("?") || t.endsWith("!") || t.endsWith(".)");
    }

    static List<String> texts(CommandSpec spec) {
        List<String> out = new ArrayList<>(List.of(spec.usageMessage().description()));
        out.addAll(List.of(spec.usageMessage().footer()));
        out.addAll(List.of(spec.usageMessage().header()));
        return out; // option descriptions come back already formatted: the rendering test covers them
    }
}
