/**
 * Why a model decides as it does, computed only (no rendering, no store access; like {@code loupe-metrics}).
 *
 * <p>An {@link dev.loupe.explain.Explanation} is a value: the units (whitespace-separated words with their character
 * offsets), the explained class, one score per unit and the method's base value. The terminal table, the dashboard's
 * sample view and the report all read it. Words are removed by replacing every one of their tokens with the
 * tokenizer's mask token ({@code [UNK]} where there is none), which keeps the length, so every perturbation of a text
 * runs in one padded-free batch ({@link dev.loupe.explain.MaskedText}). Methods: {@link dev.loupe.explain.Occlusion},
 * {@link dev.loupe.explain.KernelShap}, {@link dev.loupe.explain.Lime}; each takes a
 * {@link dev.loupe.explain.CoalitionModel} (a set function over kept words), so it is tested without a model.
 */
package dev.loupe.explain;
