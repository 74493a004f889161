package dev.loupe.models.probe;

import dev.loupe.api.InvalidInputException;

/**
 * @param l2             L2 penalty λ on the weights (not the biases): loss = weighted mean cross-entropy + λ/2·‖W‖².
 *                       Equals scikit-learn's LogisticRegression with C = 1 / (λ · Σ sample weights).
 * @param balanced       weight classes inversely to their frequency (scikit-learn's class_weight='balanced')
 * @param maxEpochs      most L-BFGS iterations (one iteration = one pass over the training set)
 * @param patience       stop after this many epochs without a better validation loss (0 = no early stopping)
 * @param tolerance      stop when the gradient's max-norm falls below this
 */
public record ProbeConfig(double l2, boolean balanced, int maxEpochs, int patience, double tolerance) {
    public ProbeConfig {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw InvalidInputException.parameter("l2", "a finite number >= 0", l2);
        }
        if (maxEpochs < 1) {
            throw InvalidInputException.parameter("max-epochs", "at least 1", maxEpochs);
        }
        if (patience < 0) {
            throw InvalidInputException.parameter("patience", ">= 0", patience);
        }
    }

    public static ProbeConfig defaults() {
        return new ProbeConfig(1e-3, false, 200, 10, 1e-6);
    }
}
