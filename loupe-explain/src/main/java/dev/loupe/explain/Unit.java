package dev.loupe.explain;

/**
 * One unit of an explanation: a whitespace-separated word of the text.
 *
 * @param text  the word as it appears in the text
 * @param start its first character's index in the text (Java {@code char} index)
 * @param end   the index after its last character
 */
public record Unit(String text, int start, int end) {
}
