package dev.loupe.models.probe;

import java.util.Map;

/**
 * One point per epoch; validation values are NaN when there is no validation set. {@code parts}: the mean training
 * loss of named parts of the training set per epoch (e.g. the clean rows and the augmented copies), in order.
 */
public record TrainingCurves(double[] trainLoss, double[] valLoss, double[] valAccuracy, int bestEpoch, String stopReason,
                             Map<String, double[]> parts) {
    public TrainingCurves(double[] trainLoss, double[] valLoss, double[] valAccuracy, int bestEpoch, String stopReason) {
        this(trainLoss, valLoss, valAccuracy, bestEpoch, stopReason, Map.of());
    }

    public int epochs() {
        return trainLoss.length;
    }
}
