package dev.loupe.store;

/**
 * One stored run's header. Times are epoch milliseconds; {@code endedAt} is {@code null} while running.
 */
public record RunInfo(String id, String experiment, String name, RunStatus status, long startedAt, Long endedAt,
                      long heartbeatAt, Provenance provenance) {
}
