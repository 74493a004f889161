package dev.loupe.data.text;

import dev.loupe.api.InvalidInputException;

/**
 * What {@link Cleaning} looks for.
 *
 * @param maxChars      texts longer than this many characters are counted as over-long (and kept: the tokenizer
 *                      truncates them); default {@value #DEFAULT_MAX_CHARS}
 * @param exampleIds    how many example ids each report list holds at most; default {@value #DEFAULT_EXAMPLE_IDS}
 * @param removeEmpty   remove empty texts (blank after trimming) from the evaluation set; default true
 * @param removeDuplicates remove exact duplicate texts after the first; default true
 */
public record CleaningOptions(int maxChars, int exampleIds, boolean removeEmpty, boolean removeDuplicates) {
    public static final int DEFAULT_MAX_CHARS = 20_000;
    public static final int DEFAULT_EXAMPLE_IDS = 10;

    public CleaningOptions {
        if (maxChars < 1) {
            throw InvalidInputException.parameter("maxChars", "a positive number of characters", maxChars);
        }
        if (exampleIds < 0) {
            throw InvalidInputException.parameter("exampleIds", "zero or more", exampleIds);
        }
    }

    public static CleaningOptions defaults() {
        return new CleaningOptions(DEFAULT_MAX_CHARS, DEFAULT_EXAMPLE_IDS, true, true);
    }

    public CleaningOptions withMaxChars(int n) {
        return new CleaningOptions(n, exampleIds, removeEmpty, removeDuplicates);
    }

    public CleaningOptions withExampleIds(int n) {
        return new CleaningOptions(maxChars, n, removeEmpty, removeDuplicates);
    }

    public CleaningOptions keepEmpty() {
        return new CleaningOptions(maxChars, exampleIds, false, removeDuplicates);
    }

    public CleaningOptions keepDuplicates() {
        return new CleaningOptions(maxChars, exampleIds, removeEmpty, false);
    }
}
