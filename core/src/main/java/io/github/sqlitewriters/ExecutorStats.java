package io.github.sqlitewriters;

import java.time.Duration;

/**
 * What an executor has done since it opened: a snapshot, so that benchmarks and tests can report
 * outcomes as numbers instead of catching exceptions.
 *
 * <p>Counters are kept with {@code LongAdder}s and read one after another, so a snapshot taken
 * while writes run may be off by the writes in flight; it is exact once the executor is idle.
 *
 * @param transactionsCommitted transactions whose COMMIT returned
 * @param transactionsRolledBack transactions rolled back, whatever the reason
 * @param tasksCommitted caller tasks whose work is in a committed transaction
 * @param tasksFailed caller tasks that ended with an exception
 * @param busyRetries times a strategy met SQLITE_BUSY or SQLITE_LOCKED and tried again
 * @param busyFailures busy failures that reached a caller as {@link SqliteBusyException}
 * @param longestQueueWait the longest time a task waited between its call and the start of its work
 *     (for a lock, a connection or a place in a writer's queue)
 * @param connectionsReopened write connections closed and opened afresh because work (or a failure
 *     such as a full disk) left them in a state the executor could not restore in place
 * @param statementsReused prepared statements that works got from the product strategies' cache
 *     instead of preparing them again
 * @param queueFullRefusals callers refused with {@link WriteQueueFullException}
 * @param checkpointsCompleted checkpoints the {@link CheckpointPolicy} ran to the end
 * @param checkpointsIncomplete checkpoints the policy started that did not finish within its wait:
 *     readers of old snapshots or another process kept it from finishing, or it failed (a full
 *     disk); each is tried again later
 * @param walBytes the WAL file's size when the writer last looked (under a checkpoint policy, in
 *     WAL mode): -1 when it has not looked or could not tell
 */
public record ExecutorStats(
    long transactionsCommitted,
    long transactionsRolledBack,
    long tasksCommitted,
    long tasksFailed,
    long busyRetries,
    long busyFailures,
    Duration longestQueueWait,
    long connectionsReopened,
    long statementsReused,
    long queueFullRefusals,
    long checkpointsCompleted,
    long checkpointsIncomplete,
    long walBytes) {

  /** Committed tasks per committed transaction: above 1 only where transactions are shared. */
  public double tasksPerTransaction() {
    return transactionsCommitted == 0 ? 0.0 : (double) tasksCommitted / transactionsCommitted;
  }
}
