package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.WriteInterruptedException;
import io.github.sqlitewriters.WriteQueueFullException;
import io.github.sqlitewriters.internal.connection.SqliteConnector;
import io.github.sqlitewriters.internal.connection.WalCheckpoints;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.process.ProcessTurn;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import io.github.sqlitewriters.internal.transaction.SqlTransactions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The strategies in which one writer thread owns the one write connection and callers queue for it.
 * Inside the process nobody competes for SQLite's write lock, so SQLITE_BUSY can come only from
 * another process, and waiting is a FIFO queue instead of SQLite's busy handler, which serves
 * waiters in no order and can keep one waiting for seconds.
 *
 * <p>Across processes the writer thread takes the process's turn ({@link ProcessTurn}) for each
 * batch, from before BEGIN IMMEDIATE until after COMMIT; while it waits for another process, its
 * callers' tasks queue, and the next batch takes them all.
 *
 * <p>The queue is bounded: a submitter waits for a place up to the submit timeout, then gets {@link
 * WriteQueueFullException}. Close puts a stop marker behind every accepted task, so the writer
 * finishes them all before it closes the connection.
 */
public abstract class WriterThreadExecutor extends AbstractExecutor {
  private static final WriteTask<Void> STOP = new WriteTask<>(connection -> null);

  final SqlTransactions transactions;

  /**
   * The write connection, used by the writer thread alone once it runs; replaced when a batch left
   * it in a state that cannot be restored (see {@link WriteConnection}).
   */
  WriteConnection writeConnection;

  private final BlockingQueue<WriteTask<?>> queue;
  private final Thread writer;
  private final WalCheckpoints checkpoints;
  private final ProcessTurn processTurn;

  WriterThreadExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(
        name,
        SqliteConnector.withGeneratedKeysUnlessSet(
            settings, SqliteSettings.GeneratedKeys.ON_REQUEST),
        options);
    this.writeConnection = WriteConnection.open(takeFirstConnection(), stats);
    this.transactions = new SqlTransactions(name, settings, options, stats, databaseFile);
    this.checkpoints = new WalCheckpoints(options.checkpointPolicy(), this.settings, stats);
    this.queue = new LinkedBlockingQueue<>(options.queueCapacity());
    this.processTurn = ProcessTurn.of(this.settings, options);
    this.writer = new Thread(this::writeLoop, "sqlite-writers-" + name + "-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Before each batch: a connection that the last batch left suspect is checked and restored, or
   * closed and replaced by a fresh one with the same settings. If no fresh one can be opened now
   * (the disk is gone, say), the next batch tries again; the executor never stays broken for good.
   */
  final void restoreOrReopen() {
    if (writeConnection.restore(settings)) {
      return;
    }
    WriteConnection broken = writeConnection;
    try {
      writeConnection = WriteConnection.open(settings.openConnection(), stats);
      stats.connectionReopened();
      broken.close();
    } catch (SQLException | RuntimeException e) {
      broken.suspect();
    }
  }

  @Override
  public final <T> T write(SqlWork<T> work) throws SQLException {
    Objects.requireNonNull(work, "work");
    WriteTask<T> task = enqueue(work);
    try {
      return task.future().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (task.withdraw()) {
        queue.remove(task);
        throw WriteInterruptedException.notCommitted(name);
      }
      if (task.future().isDone() && !task.future().isCompletedExceptionally()) {
        throw WriteInterruptedException.committed(name, task.future());
      }
      if (task.future().isDone()) {
        throw failure(task.future());
      }
      throw WriteInterruptedException.unknown(name, task.future());
    } catch (ExecutionException e) {
      throw SqliteErrors.forBlockingCaller(e.getCause());
    }
  }

  @Override
  public final <T> CompletableFuture<T> submit(SqlWork<T> work) {
    Objects.requireNonNull(work, "work");
    try {
      return enqueue(work).future();
    } catch (SQLException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> WriteTask<T> enqueue(SqlWork<T> work) throws SQLException {
    lifecycle.enter();
    try {
      WriteTask<T> task = new WriteTask<>(work, stats);
      Duration timeout = options.submitTimeout();
      if (!queue.offer(task) && !queue.offer(task, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        stats.queueFull();
        throw new WriteQueueFullException(name, options.queueCapacity(), timeout);
      }
      stats.accepted();
      return task;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(name);
    } finally {
      lifecycle.exit();
    }
  }

  private static SQLException failure(CompletableFuture<?> done) {
    try {
      done.getNow(null);
      throw new IllegalStateException("future completed normally");
    } catch (java.util.concurrent.CompletionException e) {
      return SqliteErrors.forBlockingCaller(e.getCause());
    }
  }

  /**
   * Called with the tasks just taken from the queue; may wait briefly for more. The default takes
   * what is there.
   */
  void fill(List<WriteTask<?>> batch) {}

  /**
   * Waits shorter than this spin instead of parking: on this machine type a parked thread wakes
   * some 50 µs after it is unparked or its time is up, so a timed park of a few microseconds costs
   * ten times what it waits. Measured on group-commit, 8 threads, WAL + NORMAL (COMMITs of about 15
   * µs): 65k writes/s lingering parked, 81k not lingering, 93k lingering spinning.
   */
  private static final long SPIN_BELOW_NANOS = 50_000;

  /**
   * Adds tasks that arrive within {@code nanos} until the batch holds {@code target}, STOP arrives,
   * or the time is up.
   */
  final void awaitMore(List<WriteTask<?>> batch, int target, long nanos) {
    long deadline = System.nanoTime() + nanos;
    boolean spin = nanos < SPIN_BELOW_NANOS;
    while (batch.size() < target) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      WriteTask<?> next;
      if (spin) {
        next = queue.poll();
        if (next == null) {
          Thread.onSpinWait();
          continue;
        }
      } else {
        try {
          next = queue.poll(remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          return;
        }
        if (next == null) {
          return;
        }
      }
      batch.add(next);
      if (next == STOP) {
        return;
      }
      queue.drainTo(batch, target - batch.size());
      if (batch.get(batch.size() - 1) == STOP) {
        return;
      }
    }
  }

  /** Tasks waiting in the queue now. */
  @Override
  public final int queueDepth() {
    return queue.size();
  }

  /** The most tasks taken from the queue at once. */
  abstract int batchLimit();

  /**
   * Runs claimed tasks and completes or fails every one of them.
   *
   * @param tasks at least one, at most {@link #batchLimit()}
   */
  abstract void runBatch(List<WriteTask<?>> tasks);

  /**
   * Records how long each task waited in the queue, as the batch starts: one clock read for the
   * batch (a read costs about 25 ns on this machine type, a fair part of a task's own cost).
   */
  final void started(List<WriteTask<?>> tasks) {
    long now = System.nanoTime();
    for (WriteTask<?> task : tasks) {
      stats.queueWait(now - task.queuedNanos());
    }
  }

  /** Fails a task and counts it; busy failures reach the caller as SqliteBusyException. */
  final void fail(WriteTask<?> task, Throwable error, long startNanos) {
    Throwable forCaller =
        error instanceof SQLException
            ? SqliteErrors.forCaller((SQLException) error, name, 1, startNanos)
            : error;
    stats.taskFailed(forCaller);
    task.fail(forCaller);
  }

  private void writeLoop() {
    List<WriteTask<?>> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      WriteTask<?> first = takeUninterruptibly();
      // The turn first, so that what queues while another process writes joins this batch.
      boolean inTurn = first != STOP && takeProcessTurn(first);
      try {
        stopping = takeAndRun(first, batch);
      } finally {
        // Whatever ended the batch: a turn kept by a dead writer thread would hold up every
        // writer of the file, here and in other processes.
        if (inTurn) {
          processTurn.give(!queue.isEmpty());
        }
      }
      batch.clear();
    }
    // Closing: every task has been completed or failed already.
    writeConnection.close();
    processTurn.close();
  }

  /**
   * Completes a batch that begins with {@code first}: drains and fills it, claims its tasks, runs
   * them, and checkpoints. Returns whether STOP came with it.
   */
  private boolean takeAndRun(WriteTask<?> first, List<WriteTask<?>> batch) {
    batch.add(first);
    queue.drainTo(batch, batchLimit() - 1);
    if (batch.get(batch.size() - 1) != STOP) {
      fill(batch);
    }
    // STOP is queued after every accepted task, so it can only be last.
    boolean stopping = batch.get(batch.size() - 1) == STOP;
    if (stopping) {
      batch.remove(batch.size() - 1);
    }
    batch.removeIf(
        task -> {
          if (task.claim()) {
            return false;
          }
          task.dropped();
          return true;
        });
    if (!batch.isEmpty()) {
      restoreOrReopen();
      runBatchOrFailAll(batch);
      // Work may have interrupted this thread; nothing but STOP may end the loop, and a set flag
      // would turn the checkpoint's pauses into a busy loop.
      Thread.interrupted();
      // The callers of this batch have their answers. A connection the batch left suspect is
      // checked now, so that the checkpoint runs on one with no transaction open.
      restoreOrReopen();
      checkpoints.between(writeConnection);
    }
    return stopping;
  }

  /**
   * Waits for the process's turn until the first task's busy deadline; an interrupt from work does
   * not end the wait. Returns whether the turn came (if not, the batch meets SQLite's lock alone).
   */
  private boolean takeProcessTurn(WriteTask<?> first) {
    long deadlineAt = first.queuedNanos() + options.busyDeadline().toNanos();
    while (true) {
      try {
        return processTurn.take(deadlineAt);
      } catch (InterruptedException e) {
        // Only STOP ends the writer.
      }
    }
  }

  private void runBatchOrFailAll(List<WriteTask<?>> batch) {
    long start = System.nanoTime();
    try {
      runBatch(batch);
    } catch (Throwable e) {
      // A bug or an Error outside any task's work: fail what is left rather than hang callers.
      writeConnection.suspect();
      for (WriteTask<?> task : batch) {
        if (!task.future().isDone()) {
          fail(task, e, start);
        }
      }
    }
  }

  /** How long the writer polls an empty queue before it parks. */
  private static final long SPIN_NANOS = 50_000;

  /**
   * Takes the next task. Polls for a few tens of microseconds before parking: a lone caller's next
   * task usually arrives that soon, and waking a parked writer costs more than that on a small VM.
   */
  private WriteTask<?> takeUninterruptibly() {
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    do {
      WriteTask<?> next = queue.poll();
      if (next != null) {
        return next;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < spinUntil);
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Only STOP ends the writer; an interrupt from work must not drop queued tasks.
      }
    }
  }

  @Override
  protected final void checkNotCalledFromTask() {
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException(
          "close() called from inside work on the "
              + name
              + " writer thread; it would wait for"
              + " itself");
    }
  }

  @Override
  protected final void closeWriters() {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(STOP);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
