package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.ExecutorStats;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.WriteInReadException;
import io.github.sqlitewriters.WriteInterruptedException;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
import io.github.sqlitewriters.internal.connection.DatabaseFile;
import io.github.sqlitewriters.internal.connection.ReaderConnection;
import io.github.sqlitewriters.internal.connection.SqliteConnector;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import io.github.sqlitewriters.internal.view.SealedConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * What every strategy shares: its name, statistics, open/closed state, and {@link #read}, which
 * runs on a small pool of {@code query_only} connections so that reads never wait for the writer in
 * WAL mode and can never write by mistake.
 */
public abstract class AbstractExecutor implements WriteExecutor {
  public final String name;
  protected final SqliteSettings settings;
  public final ExecutorOptions options;
  public final StatsRecorder stats = new StatsRecorder();
  protected final Lifecycle lifecycle;
  private final ConnectionPool<ReaderConnection> readers;

  /** The file opened: its identity when the executor opened, checked in every transaction. */
  protected final DatabaseFile databaseFile;

  /** The first write connection, until the strategy's constructor takes it. */
  private Connection firstConnection;

  /**
   * Opens the first write connection and makes sure the file can be written, so that a missing
   * directory, a file that is not a database or a read-only file fails when the executor opens, and
   * records which file that is.
   */
  AbstractExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    this.name = name;
    this.settings = settings;
    this.options = options;
    this.lifecycle = new Lifecycle(name);
    this.readers =
        new ConnectionPool<>(() -> ReaderConnection.open(settings), options.readerConnections());
    Connection first = SqliteConnector.of(settings).openWritable();
    try {
      this.databaseFile = DatabaseFile.openedBy(first, settings.path());
    } catch (SQLException | RuntimeException e) {
      ConnectionSteps.closeQuietly(first, e);
      throw e;
    }
    this.firstConnection = first;
  }

  /** The write connection the executor opened and checked; the strategy takes it once. */
  protected final Connection takeFirstConnection() {
    Connection first = firstConnection;
    if (first == null) {
      throw new IllegalStateException("the first connection of " + name + " was taken already");
    }
    firstConnection = null;
    return first;
  }

  @Override
  public final <T> T read(SqlWork<T> work) throws SQLException {
    Objects.requireNonNull(work, "work");
    lifecycle.enter();
    try {
      ReaderConnection reader = acquireReader();
      long start = System.nanoTime();
      Connection connection = reader.connection();
      SealedConnection view = null;
      boolean healthy = true;
      try {
        // Made inside the try: whatever fails from here on, the reader goes back to its pool.
        view = SealedConnection.of(name, connection, reader.watch());
        return readInTransaction(connection, view, work);
      } catch (SQLException e) {
        sealIfMade(view);
        healthy = ConnectionSteps.rollbackQuietly(connection, e);
        if (SqliteErrors.isReadOnly(e)) {
          throw new WriteInReadException(name, e);
        }
        throw SqliteErrors.forCaller(e, name, 1, start);
      } catch (Throwable e) {
        // Unchecked, or a checked exception the compiler did not see (a Kotlin lambda's): sealed
        // and rolled back all the same, and rethrown as it came.
        sealIfMade(view);
        healthy = ConnectionSteps.rollbackQuietly(connection, e);
        throw e;
      } finally {
        // A reader whose work ran more than row statements is replaced, as writers are.
        readers.release(reader, healthy && (view == null || !view.changedState()));
      }
    } finally {
      lifecycle.exit();
    }
  }

  private static void sealIfMade(SealedConnection view) {
    if (view != null) {
      view.seal();
    }
  }

  private ReaderConnection acquireReader() throws SQLException {
    try {
      return readers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(name);
    }
  }

  /**
   * Runs read work in a transaction of its own on a reader and ends it with ROLLBACK: a read has
   * nothing to commit, and whatever got past query_only is not kept. Work that committed a write
   * itself, or changed the reader's settings and wrote, is told so.
   */
  private <T> T readInTransaction(Connection connection, SealedConnection view, SqlWork<T> work)
      throws SQLException {
    ConnectionSteps.execute(connection, "BEGIN");
    long changesBefore = totalChanges(connection);
    T result = work.run(view.connection());
    view.seal();
    TransactionControlException committedAWrite = view.refusedTransactionEnd();
    if (committedAWrite != null) {
      // It turned query_only off and committed a write itself: say so, even if it went on.
      throw committedAWrite;
    }
    if (view.changedState()
        && (!readerUnchanged(connection) || totalChanges(connection) != changesBefore)) {
      // It turned query_only off, say: whatever it wrote is rolled back, not committed.
      throw new WriteInReadException(
          name, new SQLException("the read work changed the reader connection's settings"));
    }
    SQLException ended = new SQLException("ending the read");
    if (!ConnectionSteps.rollbackQuietly(connection, ended)) {
      throw ended;
    }
    return result;
  }

  /** Rows this connection has changed since it opened, as SQLite counts them. */
  private static long totalChanges(Connection connection) throws SQLException {
    return connection.unwrap(org.sqlite.SQLiteConnection.class).getDatabase().total_changes();
  }

  /** After read work that ran more than row statements: is the reader still as configured? */
  private boolean readerUnchanged(Connection connection) {
    try {
      return SqliteConnector.of(settings).drift(connection, true) == null;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Callers waiting for their turn or in the writer's queue, for metrics: none by default. */
  public int queueDepth() {
    return 0;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ExecutorStats stats() {
    return stats.snapshot();
  }

  @Override
  public final void close() {
    checkNotCalledFromTask();
    if (!lifecycle.close()) {
      return;
    }
    try {
      closeWriters();
    } finally {
      readers.close();
    }
  }

  /** Called by close() before it waits, to refuse a call that would wait for itself. */
  protected void checkNotCalledFromTask() {}

  /** Finishes accepted work and closes the write side; every call inside has left by now. */
  protected abstract void closeWriters();

  @Override
  public String toString() {
    return name + " on " + settings.path();
  }
}
