package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's work waiting for, or running on, a writer thread. Its result is held back until the
 * COMMIT that holds it returns, so no caller hears of success before its write is durable as the
 * settings promise.
 *
 * <p>The state decides one race: a caller interrupted while its task still waits takes the task
 * back ({@link #withdraw()}) and knows for certain it never ran; once the writer has claimed it
 * ({@link #claim()}), it will run and the caller's future tells how it ended.
 */
final class WriteTask<T> {
  private static final int QUEUED = 0;
  private static final int CLAIMED = 1;
  private static final int WITHDRAWN = 2;

  private final SqlWork<T> work;
  private final StatsRecorder stats;
  private final CompletableFuture<T> future = new CompletableFuture<>();

  /** QUEUED, CLAIMED or WITHDRAWN; a field with a VarHandle saves an object per task. */
  @SuppressWarnings("unused") // read and written through STATE
  private volatile int state = QUEUED;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(WriteTask.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long queuedNanos = System.nanoTime();
  private T result;

  /** A task whose timings nobody counts, such as the writer's STOP mark. */
  WriteTask(SqlWork<T> work) {
    this(work, new StatsRecorder());
  }

  WriteTask(SqlWork<T> work, StatsRecorder stats) {
    this.work = work;
    this.stats = stats;
  }

  CompletableFuture<T> future() {
    return future;
  }

  /** The writer takes the task; false if it was withdrawn or its future cancelled. */
  boolean claim() {
    return !future.isDone() && STATE.compareAndSet(this, QUEUED, CLAIMED);
  }

  /**
   * The writer dropped the task unclaimed: a task cancelled through its future ends here (one the
   * caller withdrew was counted by {@link #withdraw()}).
   */
  void dropped() {
    if (future.isCancelled()) {
      stats.finished(queuedNanos);
    }
  }

  /** The caller takes the task back; false if the writer has claimed it already. */
  boolean withdraw() {
    if (STATE.compareAndSet(this, QUEUED, WITHDRAWN)) {
      stats.finished(queuedNanos);
      return true;
    }
    return false;
  }

  long queuedNanos() {
    return queuedNanos;
  }

  /** The work the task runs: the writer looks at it to run statement tasks as one batch. */
  SqlWork<T> work() {
    return work;
  }

  /**
   * The task ran as one row of a batch of statement tasks; its result, the row's update count, is
   * kept until {@link #succeed()}.
   */
  @SuppressWarnings("unchecked") // only a SqlStatement, a SqlWork<Integer>, runs in a batch
  void ranInBatch(int count) {
    result = (T) Integer.valueOf(count);
  }

  /** Runs the work; the result is kept until {@link #succeed()}. */
  void run(Connection connection) throws SQLException {
    result = work.run(connection);
  }

  /** The transaction holding this task committed. */
  void succeed() {
    stats.finished(queuedNanos);
    future.complete(result);
  }

  void fail(Throwable error) {
    stats.finished(queuedNanos);
    result = null;
    future.completeExceptionally(error);
  }
}
