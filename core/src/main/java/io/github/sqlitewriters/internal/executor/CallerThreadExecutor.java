package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.WriteInterruptedException;
import io.github.sqlitewriters.WriteQueueFullException;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The strategies whose work runs on the caller's own thread, each caller taking its turn at SQLite
 * in its own way (a lock, a pool, SQLite's busy handler). {@link #submit} hands the same call to a
 * bounded set of threads, so asynchronous callers get the same behaviour as synchronous ones, and
 * admission is bounded like a writer's queue so a burst cannot grow the heap without limit.
 */
public abstract class CallerThreadExecutor extends AbstractExecutor {
  private final Semaphore admission;
  private final ThreadPoolExecutor submitThreads;

  protected CallerThreadExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
    this.admission = new Semaphore(options.queueCapacity());
    AtomicInteger count = new AtomicInteger();
    this.submitThreads =
        new ThreadPoolExecutor(
            options.maxConnections(),
            options.maxConnections(),
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable, "sqlite-writers-" + name + "-submit-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.submitThreads.allowCoreThreadTimeOut(true);
  }

  @Override
  public final <T> T write(SqlWork<T> work) throws SQLException {
    Objects.requireNonNull(work, "work");
    lifecycle.enter();
    try {
      return runCounted(work, System.nanoTime());
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public final <T> CompletableFuture<T> submit(SqlWork<T> work) {
    Objects.requireNonNull(work, "work");
    try {
      lifecycle.enter();
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    long calledNanos = System.nanoTime();
    try {
      Duration timeout = options.submitTimeout();
      if (!admission.tryAcquire()
          && !admission.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        lifecycle.exit();
        stats.queueFull();
        return CompletableFuture.failedFuture(
            new WriteQueueFullException(name, options.queueCapacity(), timeout));
      }
    } catch (InterruptedException e) {
      lifecycle.exit();
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(WriteInterruptedException.notCommitted(name));
    }
    CompletableFuture<T> future = new CompletableFuture<>();
    submitThreads.execute(
        () -> {
          try {
            if (!future.isDone()) {
              future.complete(runCounted(work, calledNanos));
            }
          } catch (Throwable e) {
            future.completeExceptionally(e);
          } finally {
            admission.release();
            lifecycle.exit();
          }
        });
    return future;
  }

  private <T> T runCounted(SqlWork<T> work, long calledNanos) throws SQLException {
    stats.accepted();
    try {
      return runTransaction(work, calledNanos);
    } catch (Throwable e) {
      stats.taskFailed(e);
      throw e;
    } finally {
      stats.finished(calledNanos);
    }
  }

  /**
   * Runs the work as one committed transaction, or throws with nothing of it committed.
   *
   * @param calledNanos when the caller handed the work in, for the queue-wait statistic
   */
  protected abstract <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException;

  @Override
  protected final void closeWriters() {
    submitThreads.shutdown();
    closeConnections();
  }

  protected abstract void closeConnections();

  /**
   * Takes a connection from the pool for one caller. Opening a new one can meet a lock (its PRAGMAs
   * read the file), which reaches the caller as busy like any other.
   */
  protected final <C extends AutoCloseable> C acquire(ConnectionPool<C> pool, long calledNanos)
      throws SQLException {
    try {
      return pool.acquire();
    } catch (InterruptedException e) {
      throw interruptedBeforeStart();
    } catch (SQLException e) {
      throw SqliteErrors.forCaller(e, name, 1, calledNanos);
    }
  }

  /**
   * The exception for a caller interrupted while it waited to start: nothing ran. Sets the thread's
   * interrupt flag again, which catching the InterruptedException cleared.
   */
  protected final WriteInterruptedException interruptedBeforeStart() {
    Thread.currentThread().interrupt();
    return WriteInterruptedException.notCommitted(name);
  }
}
