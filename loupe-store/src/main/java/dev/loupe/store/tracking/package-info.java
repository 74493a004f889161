/**
 * The logging API for JVM training code: {@link dev.loupe.store.tracking.Loupe#start} gives a
 * {@link dev.loupe.store.tracking.Run} whose {@code log} calls only append to memory; one background writer thread
 * per run commits them to the {@link dev.loupe.store.RunStore} in batched transactions and heartbeats the run.
 * Conventions: {@code log} never touches the disk and is safe from any thread; {@code flush} returns once every
 * point logged before it is committed; {@code close} flushes and marks the run finished; a JVM shutdown with the
 * run still open flushes it and marks it failed; a process that dies without any of that leaves a run that the next
 * open of the store marks crashed, with every flushed point intact.
 */
package dev.loupe.store.tracking;
