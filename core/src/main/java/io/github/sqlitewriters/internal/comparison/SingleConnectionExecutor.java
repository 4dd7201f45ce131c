package io.github.sqlitewriters.internal.comparison;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code single-connection}: one connection shared by every thread behind a fair lock, the fix Go
 * programs make with {@code SetMaxOpenConns(1)}. Inside one process no two writers ever meet in
 * SQLite, so no SQLITE_BUSY; but transactions stay DEFERRED as the application wrote them, so
 * another process writing the same file brings the lock-upgrade failures back, and every caller
 * pays its own COMMIT.
 */
public final class SingleConnectionExecutor extends ComparisonExecutor {
  private final ReentrantLock turn = new ReentrantLock(true);
  private final Connection connection;

  public SingleConnectionExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
    this.connection = takeFirstConnection();
  }

  @Override
  protected <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    try {
      turn.lockInterruptibly();
    } catch (InterruptedException e) {
      throw interruptedBeforeStart();
    }
    try {
      return runDeferred(connection, work, calledNanos);
    } finally {
      turn.unlock();
    }
  }

  @Override
  protected void closeConnections() {
    // Closing: no caller is inside any more.
    ConnectionSteps.closeQuietly(connection, null);
  }
}
