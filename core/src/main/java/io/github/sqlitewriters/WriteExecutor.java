package io.github.sqlitewriters;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * Runs write transactions against one SQLite database file, from any number of threads.
 *
 * <p>Every strategy in {@link Strategies} implements this one interface, so that tests and
 * benchmarks compare like with like and an application can change strategy by changing one name.
 * The contract is the same for all of them: {@link #write} returns only after the COMMIT that holds
 * the work returned, a work that throws is rolled back and its exception reaches its caller, and a
 * busy failure that reaches a caller is a {@link SqliteBusyException}. What differs is how callers
 * are made to take turns, and so whether SQLITE_BUSY can reach them at all.
 *
 * <p>Failures a caller can meet, each typed: {@link SqliteBusyException} (the write lock could not
 * be had in time), {@link WriteQueueFullException} (a queueing strategy's queue stayed full),
 * {@link WriteInterruptedException} (the caller was interrupted while waiting), {@link
 * TransactionControlException} (the work tried to end the transaction itself), {@link
 * ConnectionOutsideWorkException} (a connection or statement was used after its work returned),
 * {@link WriteInReadException} (the work given to {@link #read} tried to write), and {@link
 * IllegalStateException} after {@link #close}.
 */
public interface WriteExecutor extends AutoCloseable {

  /**
   * Runs the work as one write transaction and returns its result once committed.
   *
   * @param work the SQL to run; not null
   * @return what the work returned
   * @throws SQLException what the work threw (the transaction was rolled back), or a typed failure
   *     listed on this interface
   * @throws IllegalStateException if the executor is closed
   */
  <T> T write(SqlWork<T> work) throws SQLException;

  /**
   * Runs the work as one write transaction without waiting for it.
   *
   * <p>The future completes only after the COMMIT that holds the work has returned, or fails with
   * what {@link #write} would have thrown. Cancelling the future stops the work only if it has not
   * started.
   *
   * @param work the SQL to run; not null
   * @return a future of what the work returned
   */
  <T> CompletableFuture<T> submit(SqlWork<T> work);

  /**
   * Runs one row statement with its parameters as a write of its own and returns its update count
   * once committed: {@code write(SqlStatement.of(sql, parameters))}. Under {@code group-commit},
   * consecutive statement tasks with the same SQL run as one {@code executeBatch}; see {@link
   * SqlStatement}. Prefer it to a lambda for a stream of small INSERTs from many callers.
   *
   * @throws NotAStatementTaskException if the SQL is not one row statement or a parameter cannot be
   *     bound; nothing was queued
   * @throws SQLException as {@link #write(SqlWork)}
   */
  default int write(String sql, Object... parameters) throws SQLException {
    return write(SqlStatement.of(sql, parameters));
  }

  /**
   * {@link #write(String, Object...)} without waiting. A statement that cannot be a statement task
   * gives a future already failed with {@link NotAStatementTaskException}; nothing was queued.
   */
  default CompletableFuture<Integer> submit(String sql, Object... parameters) {
    SqlStatement statement;
    try {
      statement = SqlStatement.of(sql, parameters);
    } catch (SQLException e) {
      return CompletableFuture.failedFuture(e);
    }
    return submit(statement);
  }

  /**
   * Runs one INSERT with its parameters as a write of its own and returns the key of the row it
   * inserted, once committed. Runs as ordinary work under every strategy (a batch does not tell
   * each row's key).
   *
   * @throws NotAStatementTaskException as {@link #write(String, Object...)}
   * @throws SQLException as {@link #write(SqlWork)}, or if the statement inserted no row
   */
  default long insert(String sql, Object... parameters) throws SQLException {
    return write(SqlStatement.of(sql, parameters).returningKey());
  }

  /**
   * Runs read-only work on a reader connection, in one read transaction, so that everything the
   * work reads comes from one snapshot. In WAL mode readers run beside the writer.
   *
   * @param work the SQL to run; not null
   * @return what the work returned
   * @throws WriteInReadException if the work tried to write
   * @throws SQLException what the work threw
   */
  <T> T read(SqlWork<T> work) throws SQLException;

  /** The strategy's stable kebab-case name, as listed by {@link Strategies#names()}. */
  String name();

  /** A snapshot of what this executor has done since it opened. */
  ExecutorStats stats();

  /**
   * Stops accepting work, completes or fails every task already accepted, and closes every
   * connection. Calling it again does nothing.
   */
  @Override
  void close();
}
