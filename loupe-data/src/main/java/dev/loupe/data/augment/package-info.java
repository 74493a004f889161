/**
 * Seeded text perturbations ({@link dev.loupe.data.augment.Perturbation}): the generators behind robustness tests
 * ({@code loupe robustness}) and, later, data augmentation.
 *
 * <p>Conventions:
 * <ul>
 *   <li>A perturbed text is a pure function of (kind, severity, seed, row key, text): the same on every run, in any
 *       order, on any thread.</li>
 *   <li>Severities are nested: whether an edit happens at a position is decided by one uniform number per position,
 *       so every edit made at severity s is also made at any severity above s (common random numbers), and accuracy
 *       against severity is a smooth curve rather than noise.</li>
 *   <li>Texts are handled as Unicode code points; nothing here touches labels.</li>
 * </ul>
 */
package dev.loupe.data.augment;
