package io.github.sqlitewriters.internal.stats;

import io.github.sqlitewriters.ExecutorStats;
import io.github.sqlitewriters.SqliteBusyException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts what an executor does; LongAdders, so that counting adds no contention of its own. */
public final class StatsRecorder {
  private final LongAdder transactionsCommitted = new LongAdder();
  private final LongAdder transactionsRolledBack = new LongAdder();
  private final LongAdder tasksCommitted = new LongAdder();
  private final LongAdder tasksFailed = new LongAdder();
  private final LongAdder busyRetries = new LongAdder();
  private final LongAdder busyFailures = new LongAdder();
  private final AtomicLong longestQueueWaitNanos = new AtomicLong();
  private final LongAdder connectionsReopened = new LongAdder();
  private final LongAdder statementsReused = new LongAdder();
  private final LongAdder queueFullRefusals = new LongAdder();
  private final LongAdder checkpointsCompleted = new LongAdder();
  private final LongAdder checkpointsIncomplete = new LongAdder();
  private final AtomicLong walBytes = new AtomicLong(-1);
  private final LongAdder accepted = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private volatile WriteObserver observer = WriteObserver.NONE;

  /** Adds an observer of timings; several may watch one executor. */
  public synchronized void observe(WriteObserver added) {
    WriteObserver before = observer;
    observer =
        before == WriteObserver.NONE
            ? added
            : new WriteObserver() {
              @Override
              public void queueWait(long nanos) {
                before.queueWait(nanos);
                added.queueWait(nanos);
              }

              @Override
              public void committed(int tasks, long runNanos, long commitNanos) {
                before.committed(tasks, runNanos, commitNanos);
                added.committed(tasks, runNanos, commitNanos);
              }

              @Override
              public void finished(long endToEndNanos) {
                before.finished(endToEndNanos);
                added.finished(endToEndNanos);
              }
            };
  }

  /**
   * A caller handed a task in; it is in flight until {@link #finished}. Counted only while an
   * observer watches: two counters per task cost the asynchronous benchmark measurably.
   */
  public void accepted() {
    if (observer != WriteObserver.NONE) {
      accepted.increment();
    }
  }

  /** A task handed in at {@code calledNanos} ended, committed or not. */
  public void finished(long calledNanos) {
    WriteObserver watching = observer;
    if (watching != WriteObserver.NONE) {
      finished.increment();
      watching.finished(System.nanoTime() - calledNanos);
    }
  }

  /**
   * Tasks handed in and not yet ended, counted from when the first observer was added (a task
   * accepted before and finished after would count as -1: hence the floor at zero).
   */
  public long inFlight() {
    return Math.max(0, accepted.sum() - finished.sum());
  }

  /** A COMMIT returned: its transaction ran {@code runNanos}, the COMMIT {@code commitNanos}. */
  public void commitTook(int tasks, long runNanos, long commitNanos) {
    observer.committed(tasks, runNanos, commitNanos);
  }

  /** A caller was refused because the queue stayed full. */
  public void queueFull() {
    queueFullRefusals.increment();
  }

  public void committed(int tasks) {
    transactionsCommitted.increment();
    tasksCommitted.add(tasks);
  }

  public void rolledBack() {
    transactionsRolledBack.increment();
  }

  /** A task ended with an exception; busy failures are counted apart as well. */
  public void taskFailed(Throwable error) {
    tasksFailed.increment();
    if (error instanceof SqliteBusyException) {
      busyFailures.increment();
    }
  }

  public void busyRetry() {
    busyRetries.increment();
  }

  /** A work's prepared statement was lent again from the cache instead of prepared. */
  public void statementReused() {
    statementsReused.increment();
  }

  /** A write connection was replaced by a fresh one. */
  public void connectionReopened() {
    connectionsReopened.increment();
  }

  /** The WAL file measured this large (-1 when it could not be measured). */
  public void walBytes(long bytes) {
    walBytes.set(bytes);
  }

  /** The checkpoint policy ran a checkpoint, which finished or not, leaving the WAL this large. */
  public void checkpoint(boolean completed, long walBytesAfter) {
    (completed ? checkpointsCompleted : checkpointsIncomplete).increment();
    walBytes.set(walBytesAfter);
  }

  /** A task's work started {@code waitedNanos} after it was handed in. */
  public void queueWait(long waitedNanos) {
    observer.queueWait(waitedNanos);
    if (waitedNanos > longestQueueWaitNanos.get()) {
      longestQueueWaitNanos.accumulateAndGet(waitedNanos, Math::max);
    }
  }

  public ExecutorStats snapshot() {
    return new ExecutorStats(
        transactionsCommitted.sum(),
        transactionsRolledBack.sum(),
        tasksCommitted.sum(),
        tasksFailed.sum(),
        busyRetries.sum(),
        busyFailures.sum(),
        Duration.ofNanos(longestQueueWaitNanos.get()),
        connectionsReopened.sum(),
        statementsReused.sum(),
        queueFullRefusals.sum(),
        checkpointsCompleted.sum(),
        checkpointsIncomplete.sum(),
        walBytes.get());
  }
}
