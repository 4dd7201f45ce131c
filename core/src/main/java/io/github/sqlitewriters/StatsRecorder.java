package io.github.sqlitewriters;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts what an executor does; LongAdders, so that counting adds no contention of its own. */
final class StatsRecorder {
  private final LongAdder transactionsCommitted = new LongAdder();
  private final LongAdder transactionsRolledBack = new LongAdder();
  private final LongAdder tasksCommitted = new LongAdder();
  private final LongAdder tasksFailed = new LongAdder();
  private final LongAdder busyRetries = new LongAdder();
  private final LongAdder busyFailures = new LongAdder();
  private final AtomicLong longestQueueWaitNanos = new AtomicLong();
  private final LongAdder connectionsReopened = new LongAdder();
  private final LongAdder statementsReused = new LongAdder();

  void committed(int tasks) {
    transactionsCommitted.increment();
    tasksCommitted.add(tasks);
  }

  void rolledBack() {
    transactionsRolledBack.increment();
  }

  /** A task ended with an exception; busy failures are counted apart as well. */
  void taskFailed(Throwable error) {
    tasksFailed.increment();
    if (error instanceof SqliteBusyException) {
      busyFailures.increment();
    }
  }

  void busyRetry() {
    busyRetries.increment();
  }

  /** A work's prepared statement was lent again from the cache instead of prepared. */
  void statementReused() {
    statementsReused.increment();
  }

  /** A write connection was replaced by a fresh one. */
  void connectionReopened() {
    connectionsReopened.increment();
  }

  /** A task's work started {@code waitedNanos} after it was handed in. */
  void queueWait(long waitedNanos) {
    if (waitedNanos > longestQueueWaitNanos.get()) {
      longestQueueWaitNanos.accumulateAndGet(waitedNanos, Math::max);
    }
  }

  ExecutorStats snapshot() {
    return new ExecutorStats(
        transactionsCommitted.sum(),
        transactionsRolledBack.sum(),
        tasksCommitted.sum(),
        tasksFailed.sum(),
        busyRetries.sum(),
        busyFailures.sum(),
        Duration.ofNanos(longestQueueWaitNanos.get()),
        connectionsReopened.sum(),
        statementsReused.sum());
  }
}
