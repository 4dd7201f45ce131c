package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.datasource.DataSourcePool;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose write transactions share COMMITs: {@code group-commit}'s throughput
 * for Spring's {@code @Transactional} and {@code JdbcTemplate}, Hibernate/JPA, Jdbi, jOOQ and
 * anything else that takes a {@code DataSource}.
 *
 * <p>Why: under {@code synchronous=FULL} every COMMIT waits for an fsync, so {@link
 * ImmediateDataSource}, safe as it is, gives each transaction one fsync and a framework the
 * throughput of one disk flush at a time. Here write transactions take turns on one write
 * connection, as there, but each runs as a savepoint inside a SQLite transaction that several of
 * them share (group commit with early lock release, as databases do it: DeWitt et al., 1984;
 * Johnson et al., "Aether", VLDB 2010):
 *
 * <ul>
 *   <li>{@code commit()} releases the transaction's savepoint, hands the write connection to the
 *       next waiting transaction at once, and returns only after the SQLite COMMIT that holds its
 *       writes has returned: as durable as {@code immediate-data-source}'s. If that COMMIT fails,
 *       every {@code commit()} it held throws: nothing is reported committed that is not.
 *   <li>{@code rollback()} undoes that transaction alone.
 *   <li>The shared COMMIT runs when no transaction waits for the turn, when 64 transactions share
 *       it, or when its first transaction has waited 2 ms: a {@code commit()} waits at most for the
 *       transactions the turn was handed to within 2 ms after it, then one COMMIT. If one of them
 *       keeps the write connection past the busy deadline (a transaction left open), {@code
 *       commit()} throws {@link WriteOutcomeUnknownException}: its writes commit when that one
 *       ends, or not at all if that COMMIT fails.
 *   <li>A transaction sees the writes of the earlier transactions of its group before they are
 *       durable; they commit with its own, or fail with it. Readers outside (read-only
 *       transactions, auto-commit reads, other processes) see only what was committed.
 *   <li>Nothing one transaction does fails another's COMMIT:
 *       <ul>
 *         <li>a transaction whose first statement is DDL or a PRAGMA that may set state runs after
 *             the pending COMMIT, in a SQLite transaction of its own;
 *         <li>one that runs them later takes no later transaction into its COMMIT and has its
 *             foreign keys checked ({@code PRAGMA foreign_key_check}) before its savepoint is
 *             released, so that a violation it deferred fails it alone (a violation already in the
 *             file, or a check SQLite cannot run, fails it too); DDL that names ROLLBACK or
 *             DEFERRED is refused there with {@link TransactionControlException};
 *         <li>while the schema has deferred foreign keys ({@code INITIALLY DEFERRED}), ROLLBACK
 *             conflict clauses or triggers that name ROLLBACK, every transaction commits alone;
 *         <li>{@code OR ROLLBACK} in a statement is refused with {@link
 *             TransactionControlException}, DDL and PRAGMAs in a batch with an {@code
 *             SQLException}, and {@code cancel()} of a write transaction's statement with {@code
 *             SQLFeatureNotSupportedException} (SQLite's interrupt rolls back a whole transaction).
 *       </ul>
 *       A failure SQLite rolls back by itself (a full disk, an I/O error) takes the whole shared
 *       transaction: every {@code commit()} in it throws.
 * </ul>
 *
 * <p>Everything else is {@link ImmediateDataSource}'s contract: settings read back, read-only
 * transactions on {@code query_only} connections, auto-commit statements as transactions of their
 * own (each commits alone: wrap writes in a transaction to share COMMITs), transaction control in
 * SQL refused, savepoints, generated keys on request, {@code unwrap} refused, nothing after {@code
 * close()}, the busy deadline, virtual threads, turns across processes (a group holds its process's
 * turn from BEGIN to COMMIT), Micrometer and JFR. {@code close()} waits up to the busy deadline for
 * the transaction that holds the turn.
 *
 * <p>One rule differs, because the write connection is lent to a transaction, not to a caller: a
 * write transaction's statements run on the shared write connection from the transaction's first
 * statement (or {@code prepareStatement}) to its end, and are closed when it ends. A statement
 * prepared before {@code setAutoCommit(false)} cannot run inside the transaction, and one prepared
 * inside cannot run after it; both are refused with an {@code SQLException} that says so. Spring,
 * Hibernate, Jdbi, jOOQ and Flyway prepare their statements inside the transaction that runs them;
 * code that keeps a {@code PreparedStatement} across transactions takes {@link
 * ImmediateDataSource}.
 */
public final class GroupCommitDataSource extends PoolDataSource {
  /** The name this DataSource gives in errors, statistics and benchmark results. */
  public static final String NAME = "group-commit-data-source";

  private GroupCommitDataSource(SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(NAME, new DataSourcePool(NAME, settings, options, true), options);
  }

  /**
   * Opens the DataSource, its shared write connection and one connection to lend, so that a bad
   * path, a file that is not a database or a read-only file fails here.
   *
   * @throws SqliteOpenException if the file cannot be opened for writing
   */
  public static GroupCommitDataSource open(SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    return new GroupCommitDataSource(
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(options, "options"));
  }
}
