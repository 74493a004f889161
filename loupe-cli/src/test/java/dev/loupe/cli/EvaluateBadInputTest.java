package dev.loupe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input: exit code 2, one clear message on stderr that names the file, the line and the column
 * where relevant, never a stack trace, and no JSON written. Degenerate but legal input warns instead.
 */
class EvaluateBadInputTest {
    @TempDir
    Path tmp;

    Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    Cli evaluate(Path p, String... extra) {
        String[] args = new String[6 + extra.length];
        args[0] = "evaluate";
        args[1] = "--predictions";
        args[2] = p.toString();
        args[3] = "-q";
        args[4] = "--json";
        args[5] = tmp.resolve("out.json").toString();
        System.arraycopy(extra, 0, args, 6, extra.length);
        return Cli.run(args);
    }

    void assertBadInput(Cli r, String... fragments) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(tmp.resolve("out.json")), "no JSON written on bad input");
        assertTrue(r.err().strip().lines().count() <= 3, "a short message: " + r.err());
    }

    @Test
    void missingFile() {
        assertBadInput(evaluate(tmp.resolve("nope.csv")), "nope.csv", "not");
    }

    @Test
    void emptyFile() throws IOException {
        assertBadInput(evaluate(file("empty.csv", "")), "empty.csv", "empty");
    }

    @Test
    void headerButNoRows() throws IOException {
        assertBadInput(evaluate(file("header.csv", "label,prob_a,prob_b\n")), "header.csv", "no data rows");
    }

    @Test
    void noLabelColumnListsTheColumnsFound() throws IOException {
        Cli r = evaluate(file("nolabel.csv", "truth,prob_a,prob_b\na,0.5,0.5\n"));
        assertBadInput(r, "nolabel.csv", "label", "truth", "--label-col");
    }

    @Test
    void unparseableNumber() throws IOException {
        Cli r = evaluate(file("num.csv", "label,prob_a,prob_b\na,0.5,0.5\nb,zero,1\n"));
        assertBadInput(r, "num.csv", "line 3", "prob_a", "zero");
    }

    @Test
    void nanAndInfinity() throws IOException {
        assertBadInput(evaluate(file("nan.csv", "label,prob_a,prob_b\na,NaN,0.5\n")), "nan.csv", "line 2", "prob_a");
        assertBadInput(evaluate(file("inf.csv", "label,score\na,Infinity\n"), "--positive-label", "a"), "inf.csv", "line 2", "score");
    }

    @Test
    void negativeWeight() throws IOException {
        Cli r = evaluate(file("w.csv", "label,prob_a,prob_b,weight\na,0.5,0.5,1\na,0.5,0.5,-2\n"));
        assertBadInput(r, "w.csv", "line 3", "weight", "-2");
    }

    @Test
    void probabilityOutsideZeroOne() throws IOException {
        Cli r = evaluate(file("p.csv", "label,score\nspam,1.5\n"), "--positive-label", "spam");
        assertBadInput(r, "p.csv", "line 2", "score", "1.5");
    }

    @Test
    void probabilitiesNotSummingToOneSuggestRenormalize() throws IOException {
        Path p = file("sum.csv", "label,prob_a,prob_b\na,0.5,0.5\nb,0.6,0.6\n");
        assertBadInput(evaluate(p), "sum.csv", "line 3", "--renormalize");
        Cli ok = evaluate(p, "--renormalize", "--bootstrap", "0");
        assertEquals(0, ok.exit(), ok.err());
    }

    @Test
    void predNotAmongClasses() throws IOException {
        Cli r = evaluate(file("pred.csv", "label,prob_a,prob_b,pred\na,0.5,0.5,a\na,0.5,0.5,c\n"));
        assertBadInput(r, "pred.csv", "line 3", "pred", "\"c\"");
    }

    @Test
    void labelNotAmongClassesListsThem() throws IOException {
        Cli r = evaluate(file("lab.csv", "label,prob_a,prob_b\na,0.5,0.5\nz,0.5,0.5\n"));
        assertBadInput(r, "lab.csv", "line 3", "\"z\"", "\"a\"", "\"b\"");
    }

    @Test
    void raggedRow() throws IOException {
        Cli r = evaluate(file("rag.csv", "label,prob_a,prob_b\na,0.5,0.5\nb,0.5\n"));
        assertBadInput(r, "rag.csv", "line 3", "3", "2");
    }

    @Test
    void nonUtf8Bytes() throws IOException {
        Path p = tmp.resolve("latin1.csv");
        Files.write(p, "label,prob_a,prob_b\ncaf\u00e9,0.5,0.5\n".getBytes(StandardCharsets.ISO_8859_1));
        assertBadInput(evaluate(p), "latin1.csv", "line 2", "UTF-8");
    }

    @Test
    void scoreColumnWithoutPositiveLabel() throws IOException {
        assertBadInput(evaluate(file("s.csv", "label,score\na,0.2\n")), "s.csv", "--positive-label");
    }

    @Test
    void badParameters() throws IOException {
        Path p = file("ok.csv", "label,prob_a,prob_b\na,0.7,0.3\nb,0.2,0.8\n");
        assertBadInput(evaluate(p, "--bootstrap", "-1"), "bootstrap", "-1");
        assertBadInput(evaluate(p, "--bins", "1"), "bins");
        Cli unknown = Cli.run("evaluate", "--predictions", p.toString(), "--bootsrap", "5");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("--bootsrap"), unknown.err());
        Cli missing = Cli.run("evaluate");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--predictions"), missing.err());
    }

    @Test
    void jsonIntoMissingDirectory() throws IOException {
        Path p = file("ok.csv", "label,prob_a,prob_b\na,0.7,0.3\nb,0.2,0.8\n");
        Cli r = Cli.run("evaluate", "--predictions", p.toString(), "-q", "--json", tmp.resolve("no/such/dir/out.json").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void oneClassIsLegalWarnsAndGivesNull() throws Exception {
        Path p = file("one.csv", "label,score\nham,0.1\nham,0.7\nham,0.2\n");
        Cli r = evaluate(p, "--positive-label", "spam", "--bootstrap", "50");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Only one class"), r.out());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("out.json").toFile());
        assertTrue(json.get("metrics").get("roc_auc").get("value").isNull());
        assertTrue(json.get("metrics").get("roc_auc").get("ci_low").isNull());
        assertEquals(2.0 / 3, json.get("metrics").get("accuracy").get("value").asDouble(), 1e-12);
        assertFalse(json.get("warnings").isEmpty());
    }

    @Test
    void positiveLabelAbsentFromTheFileSaysSoAndSuggestsTheCase() throws IOException {
        Path p = file("s.csv", "label,score\nham,0.2\nspam,0.9\nham,0.4\n");
        Cli r = evaluate(p, "--positive-label", "zzz");
        assertBadInput(r, "s.csv", "line 3", "--positive-label \"zzz\" does not occur", "\"ham\" and \"spam\"",
                "--positive-label \"spam\"");
        assertFalse(r.err().contains("third"), "the positive label is the mistake, not a third class: " + r.err());
        Cli cased = evaluate(p, "--positive-label", "Spam");
        assertBadInput(cased, "s.csv", "case-sensitive", "did you mean \"spam\"");
        Cli probs = evaluate(file("p.csv", "label,prob_ham,prob_spam\nham,0.8,0.2\n"), "--positive-label", "SPAM");
        assertBadInput(probs, "p.csv", "'SPAM' is not one of the classes", "did you mean \"spam\"");
    }

    @Test
    void positiveLabelNeverSeenWithOneOtherLabelWarns() throws IOException {
        Cli r = evaluate(file("one.csv", "label,score\nham,0.1\nham,0.7\n"), "--positive-label", "Ham2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: --positive-label 'Ham2' never occurs in the label column"), r.err());
    }

    @Test
    void messagesNameOptionsAsTyped() throws IOException {
        Path scores = file("s.csv", "label,score\nham,0.2\nspam,0.9\n");
        assertBadInput(evaluate(scores, "--positive-label", "spam", "--negative-label", "spam"), "'--negative-label'");
        Path probs = file("p.csv", "label,prob_ham,prob_spam\nham,0.8,0.2\n");
        Cli r = evaluate(probs, "--negative-label", "ham");
        assertBadInput(r, "'--negative-label'");
        assertFalse(r.err().contains("negativeLabel"), r.err());
        assertBadInput(evaluate(probs, "--weight-col", "label"), "'--weight-col'", "--label-col");
        assertBadInput(evaluate(probs, "--threshold", "2"), "'--threshold'");
        assertBadInput(evaluate(probs, "--zero-division", "2"), "'--zero-division'", "0, 1 or nan");
        assertBadInput(evaluate(probs, "--top-k", "0"), "'--top-k'");
        assertBadInput(evaluate(probs, "--beta", "-1"), "'--beta'");
        assertBadInput(evaluate(probs, "--max-fpr", "0"), "'--max-fpr'");
    }

    @Test
    void allWeightsZeroIsBadInput() throws IOException {
        assertBadInput(evaluate(file("w.csv", "label,prob_a,prob_b,weight\na,0.7,0.3,0\nb,0.2,0.8,0\n")),
                "w.csv", "every row has weight 0", "'weight'");
    }

    @Test
    void positiveLabelOnAMultiClassFileIsRefused() throws IOException {
        Path p = file("m.csv", "label,prob_a,prob_b,prob_c\na,0.7,0.2,0.1\nb,0.2,0.7,0.1\nc,0.1,0.2,0.7\n");
        assertBadInput(evaluate(p, "--positive-label", "a"), "--positive-label 'a'", "3 classes", "Leave it out");
        assertBadInput(evaluate(p, "--max-fpr", "0.2"), "--max-fpr", "binary");
    }

    @Test
    void aClassWhoseRowsAllWeighZeroIsDescribedSo() throws Exception {
        Path p = file("z.csv", "label,prob_a,prob_b,prob_c,weight\na,0.7,0.2,0.1,1\nb,0.2,0.7,0.1,2\nc,0.1,0.2,0.7,0\n"
                + "c,0.2,0.2,0.6,0\na,0.5,0.3,0.2,1\n");
        Cli r = evaluate(p, "--bootstrap", "0");
        assertEquals(0, r.exit(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("out.json").toFile());
        String warnings = json.get("warnings").toString();
        assertTrue(warnings.contains("Class 'c' has 2 rows, all with weight 0"), warnings);
        assertFalse(warnings.contains("'c' never occurs"), warnings);
    }
}
