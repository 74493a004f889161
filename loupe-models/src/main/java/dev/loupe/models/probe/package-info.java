/**
 * Probe heads trained by Loupe on frozen embeddings: multinomial logistic regression with L2 regularisation,
 * optional balanced class weights, full-batch L-BFGS and early stopping on validation loss. Training records a
 * curve point per epoch (train loss, validation loss, validation accuracy) — the curves the dashboard draws.
 * Pure Java, no native code: testable without ONNX Runtime.
 */
package dev.loupe.models.probe;
