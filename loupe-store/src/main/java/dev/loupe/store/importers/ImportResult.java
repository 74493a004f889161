package dev.loupe.store.importers;

import java.util.List;

/**
 * What an import did.
 *
 * @param runId    the run written (an existing one when the file was imported before)
 * @param created  whether the run is new
 * @param points   series points read (stored once each, whatever was there before)
 * @param series   names of the series written
 * @param metrics  scalar metrics written
 * @param skipped  entries or cells not imported (non-numeric values), with why, at most a few
 * @param skippedCount how many were skipped in all
 */
public record ImportResult(String runId, boolean created, long points, List<String> series, int metrics,
                           List<String> skipped, long skippedCount) {
}
