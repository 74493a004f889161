package dev.loupe.models.probe;

/** One point per epoch; validation values are NaN when there is no validation set. */
public record TrainingCurves(double[] trainLoss, double[] valLoss, double[] valAccuracy, int bestEpoch, String stopReason) {
    public int epochs() {
        return trainLoss.length;
    }
}
