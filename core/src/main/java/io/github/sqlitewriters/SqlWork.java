package io.github.sqlitewriters;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of SQL that an executor runs inside a transaction it owns.
 *
 * <p>The work receives a connection that is already inside the executor's transaction and must not
 * end it: COMMIT, ROLLBACK, BEGIN, {@code setAutoCommit}, {@code unwrap} and {@code close} are
 * refused with a {@link TransactionControlException}, because the executor decides when the
 * transaction ends (for {@code group-commit}, many callers' work shares one COMMIT). The
 * connection, and everything obtained from it, is valid only while {@link #run} runs; a later use
 * throws {@link ConnectionOutsideWorkException}. Strategies that retry on SQLITE_BUSY may run the
 * same work more than once, each time in a fresh transaction, so work should keep its side effects
 * inside the database.
 *
 * @param <T> what the work returns to its caller
 */
@FunctionalInterface
public interface SqlWork<T> {

  /**
   * Runs the work.
   *
   * @param connection a view of a connection inside a transaction owned by the executor; valid only
   *     during this call
   * @return the value handed back to the caller once the transaction is committed
   * @throws SQLException to roll the work back; the caller receives this exception
   */
  T run(Connection connection) throws SQLException;
}
