package io.github.sqlitewriters;

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
final class SingleConnectionExecutor extends CallerThreadExecutor {
  private final ReentrantLock turn = new ReentrantLock(true);
  private final Connection connection;

  SingleConnectionExecutor(SqliteSettings settings, ExecutorOptions options) throws SQLException {
    super(Strategies.SINGLE_CONNECTION, settings, options);
    this.connection = takeFirstConnection();
  }

  @Override
  <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
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
  void closeConnections() {
    // Closing: no caller is inside any more.
    SqlStatements.closeQuietly(connection, null);
  }
}
