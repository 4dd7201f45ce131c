package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.datasource.DataSourcePool;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose write transactions take {@code immediate}'s turns: the way to adopt a
 * safe strategy from Spring's {@code JdbcTemplate} and {@code @Transactional}, Jdbi, jOOQ or
 * anything else that takes a {@code DataSource}, without rewriting the data layer.
 *
 * <p>Why it exists: the setups those frameworks meet by default (a pool of plain sqlite-jdbc
 * connections, deferred transactions) lose writes to {@code SQLITE_BUSY}, most of all in the
 * transaction that counts and then inserts, whose read lock SQLite refuses to upgrade at once, busy
 * timeout or not. Its contract, per connection it lends:
 *
 * <ul>
 *   <li>Every connection is opened with the {@link SqliteSettings} applied and read back, and is
 *       reset when it is closed: an open transaction rolled back, read-only mode ended, settings
 *       checked and restored, a connection that ran DDL or a PRAGMA that may set state replaced by
 *       a fresh one. A PRAGMA that only reads the schema ({@code table_info}, {@code index_list},
 *       {@code foreign_key_list}, ...) costs nothing and runs on read-only connections too.
 *   <li>A transaction ({@code setAutoCommit(false)} ... {@code commit()}) begins at its first
 *       statement with {@code BEGIN IMMEDIATE}, after waiting for its turn in arrival order among
 *       this DataSource's writers (see {@code immediate}), and keeps the turn until {@code
 *       commit()} or {@code rollback()}. Unlike sqlite-jdbc's IMMEDIATE mode, nothing holds the
 *       lock between transactions.
 *   <li>A read-only transaction ({@code setReadOnly(true)}, Spring's {@code readOnly = true}) takes
 *       no turn and no write lock: it runs as a deferred transaction on a {@code query_only}
 *       connection, and a write in it fails with {@link WriteInReadException}.
 *   <li>In auto-commit mode a statement that reads runs as it is; one that may write runs in a
 *       {@code BEGIN IMMEDIATE} ... {@code COMMIT} of its own, in turn.
 *   <li>Waiting ends at the busy deadline ({@link ExecutorOptions#busyDeadline()}) with {@link
 *       SqliteBusyException}, an {@code SQLException}, so frameworks translate it as they do any.
 *   <li>Transactions are ended through the connection only: SQL that begins or ends one ({@code
 *       BEGIN}, {@code COMMIT}, {@code END}, {@code ROLLBACK}) is refused with {@link
 *       TransactionControlException}; savepoints ({@code setSavepoint}, Spring's nested
 *       transactions) work inside a transaction. A transaction that SQLite rolls back by itself (a
 *       full disk, {@code INSERT OR ROLLBACK}) refuses every further statement and its {@code
 *       commit()} fails, so no later statement runs outside a turn and nothing is reported
 *       committed that is not.
 *   <li>Nothing reached from a connection leads to the raw sqlite-jdbc connection ({@code unwrap}
 *       is refused), and nothing works on it after {@code close()}: the raw connection is lent to
 *       the next caller by then.
 * </ul>
 *
 * <p>One connection per thread, as with any pool: a thread that opens a second write transaction
 * while its first holds the turn waits for itself until the busy deadline. At most {@link
 * ExecutorOptions#maxConnections()} connections are lent at once; {@code getConnection()} waits for
 * one until the busy deadline.
 *
 * <p>Each transaction pays its own COMMIT (an fsync under {@code synchronous=FULL}); {@link
 * GroupCommitDataSource} shares COMMITs between transactions, for frameworks that write from many
 * threads.
 */
public final class ImmediateDataSource extends PoolDataSource {
  /** The name this DataSource gives in errors, statistics and benchmark results. */
  public static final String NAME = "immediate-data-source";

  private ImmediateDataSource(SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(NAME, new DataSourcePool(NAME, settings, options, false), options);
  }

  /**
   * Opens the DataSource and one connection, so that a bad path, a file that is not a database or a
   * read-only file fails here.
   *
   * @throws SqliteOpenException if the file cannot be opened for writing
   */
  public static ImmediateDataSource open(SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    return new ImmediateDataSource(
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(options, "options"));
  }
}
