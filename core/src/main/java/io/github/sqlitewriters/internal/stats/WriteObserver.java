package io.github.sqlitewriters.internal.stats;

/**
 * Told the timings {@link ExecutorStats} only sums up, as they happen: how {@link
 * MicrometerMetrics} fills its timers. An executor without one pays a volatile read per event and
 * nothing else.
 */
public interface WriteObserver {
  WriteObserver NONE = new WriteObserver() {};

  /** A task's work started (or a DataSource transaction began) this long after the call. */
  default void queueWait(long nanos) {}

  /**
   * A transaction committed: {@code tasks} callers' work, which ran for {@code runNanos} between
   * BEGIN IMMEDIATE and COMMIT, whose COMMIT took {@code commitNanos}.
   */
  default void committed(int tasks, long runNanos, long commitNanos) {}

  /** A task ended, committed or not, this long after its call. */
  default void finished(long endToEndNanos) {}
}
