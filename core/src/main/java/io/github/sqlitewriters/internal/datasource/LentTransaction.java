package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.WriteInReadException;
import io.github.sqlitewriters.WriteInterruptedException;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * The transaction of one lent connection, as a state machine: JDBC's auto-commit, commit, rollback,
 * read-only and savepoint calls, and each statement's execution, turned into {@code immediate}'s
 * turns and SQL-level transactions (BEGIN, BEGIN IMMEDIATE, COMMIT, ROLLBACK sent as SQL) on the
 * raw connection. Kept apart from {@link DataSourceConnection}, which only routes JDBC's calls, so
 * that the rules of when a transaction begins and ends read in one place.
 *
 * <p>The raw connection stays in the state {@link WriteConnection} keeps it in (no driver
 * transaction of its own). Every method runs under the connection's lock.
 */
final class LentTransaction {
  /** Where the transaction stands. */
  private enum State {
    /** No transaction: the next statement of a manual-commit connection begins one. */
    NONE,
    /** A deferred read transaction on a read-only connection: no turn, no write lock. */
    READING,
    /** A BEGIN IMMEDIATE transaction holding this DataSource's write turn. */
    WRITING,
    /** SQLite rolled the transaction back by itself; only rollback() clears it. */
    ROLLED_BACK_BY_SQLITE
  }

  private final DataSourcePool source;
  private final WriteConnection writer;
  private boolean autoCommit = true;
  private boolean readOnly;
  private State state = State.NONE;
  private SQLException sqliteRollback;
  private long begunNanos;
  private long calledNanos;

  /** The statement of an auto-commit write whose rows are still being read: COMMIT follows. */
  private Statement pendingAutoCommit;

  LentTransaction(DataSourcePool source, WriteConnection writer) {
    this.source = source;
    this.writer = writer;
  }

  boolean autoCommit() {
    return autoCommit;
  }

  boolean readOnly() {
    return readOnly;
  }

  /** JDBC: switching auto-commit on inside a transaction commits it. */
  void setAutoCommit(boolean on) throws SQLException {
    if (on && !autoCommit && state != State.NONE) {
      end(true);
    }
    autoCommit = on;
  }

  void commit() throws SQLException {
    end(true);
  }

  void rollback() throws SQLException {
    end(false);
  }

  void rollback(Savepoint savepoint) throws SQLException {
    savepoint("ROLLBACK TO", savepoint);
  }

  void release(Savepoint savepoint) throws SQLException {
    savepoint("RELEASE", savepoint);
  }

  /** The caller is done with a statement's rows: an auto-commit write waiting on them commits. */
  void rowsRead(Statement statement) throws SQLException {
    if (pendingAutoCommit == statement) {
      finishPendingAutoCommit();
    }
  }

  /**
   * An auto-commit write still reading its rows commits now: JDBC's transaction and setting calls
   * come after it.
   */
  void finishPendingAutoCommit() throws SQLException {
    if (pendingAutoCommit != null) {
      pendingAutoCommit = null;
      end(true);
    }
  }

  /** A plain statement's batch runs as a write; what is added to it is checked as it is added. */
  void checkBatchSql(String sql) throws SQLException {
    if (checkSql(sql) == SqlText.Kind.OTHER) {
      writer.replace();
    }
  }

  /**
   * Refuses what this DataSource cannot let run: SQL that begins or ends a transaction, several
   * statements in one string (one could COMMIT or BEGIN behind the first), and on a read-only
   * connection anything but row statements (a PRAGMA could turn query_only off).
   */
  SqlText.Kind checkSql(String sql) throws SQLException {
    SqlText.Kind kind = SqlText.classify(sql);
    // Several statements are OTHER to classify(); only then is the text scanned again.
    if (kind == SqlText.Kind.OTHER && SqlText.severalStatements(sql)) {
      throw new SQLException(source.name + " runs one statement per call; split: " + sql, "42000");
    }
    if (readOnly && kind != SqlText.Kind.ROWS) {
      throw new WriteInReadException(
          new SQLException(sql),
          "a read-only " + source.name + " connection runs row statements only");
    }
    return kind;
  }

  /**
   * Runs one execution of a statement under this connection's transaction rules.
   *
   * @param sql the statement's SQL, or null for a batch of plain statements (treated as writes)
   * @param statement the raw statement, whose rows an auto-commit write may leave open
   * @param call runs it
   */
  Object execute(String sql, Statement statement, DataSourceObject.Execution call)
      throws Throwable {
    finishPendingAutoCommit();
    if (state == State.ROLLED_BACK_BY_SQLITE) {
      throw rolledBackBySqlite();
    }
    SqlText.Kind kind = sql == null ? SqlText.Kind.ROWS : checkSql(sql);
    if (!autoCommit) {
      begin();
      return watched(call, kind);
    }
    if (kind == SqlText.Kind.SAVEPOINT) {
      throw new SQLException(
          "savepoints need a transaction: call setAutoCommit(false) first, then setSavepoint()");
    }
    if (readOnly || (sql != null && kind == SqlText.Kind.ROWS && SqlText.onlyReads(sql))) {
      return watched(call, kind);
    }
    if (kind == SqlText.Kind.OTHER) {
      // A PRAGMA or DDL: many may not run inside a transaction (synchronous, journal_mode), so
      // it runs as it is, but in turn, so that no write of this DataSource's meets it.
      takeTurn(System.nanoTime());
      try {
        return watched(call, kind);
      } finally {
        source.turns.release();
      }
    }
    return autoCommitWrite(statement, call, kind);
  }

  /**
   * An auto-commit statement that may write: a transaction of its own, in turn. One that returns
   * rows ({@code INSERT ... RETURNING}) keeps its transaction until the caller closes the rows or
   * the statement (a COMMIT would fail while they are open), as sqlite-jdbc's auto-commit does.
   */
  private Object autoCommitWrite(
      Statement statement, DataSourceObject.Execution call, SqlText.Kind kind) throws Throwable {
    begin();
    Object result;
    try {
      result = watched(call, kind);
    } catch (Throwable e) {
      if (state != State.NONE) {
        endQuietly(e);
      }
      throw e;
    }
    if (state == State.WRITING && (result instanceof ResultSet || Boolean.TRUE.equals(result))) {
      pendingAutoCommit = statement;
      return result;
    }
    end(true);
    return result;
  }

  /** Runs a call and reads SQLite's hooks afterwards: did SQLite end the transaction? */
  private Object watched(DataSourceObject.Execution call, SqlText.Kind kind) throws Throwable {
    long start = System.nanoTime();
    if (kind == SqlText.Kind.OTHER) {
      // A PRAGMA, DDL, ATTACH: the raw connection may differ from the settings afterwards.
      writer.replace();
    }
    try {
      Object result = call.run();
      afterCall(null);
      return result;
    } catch (SQLException e) {
      afterCall(e);
      if (readOnly && SqliteErrors.isReadOnly(e)) {
        throw new WriteInReadException(
            e, "a read-only " + source.name + " connection tried to write");
      }
      throw SqliteErrors.forCaller(e, source.name, 1, start);
    }
  }

  private void afterCall(SQLException error) throws SQLException {
    if (state != State.WRITING || !writer.watch.fired()) {
      return;
    }
    // SQL cannot say COMMIT here (refused by its text, one statement per call), so a hook means
    // SQLite ended it; a ROLLBACK makes sure nothing stays open once the turn is released.
    writer.watch.disarm();
    ConnectionSteps.rollbackQuietly(
        writer.connection, error != null ? error : new SQLException("hook"));
    releaseTurn();
    source.stats.rolledBack();
    state = State.ROLLED_BACK_BY_SQLITE;
    sqliteRollback =
        new SQLException(
            "SQLite rolled back the transaction"
                + (error == null ? "" : " after: " + error.getMessage()),
            "40000",
            error);
    writer.suspect();
  }

  private SQLException rolledBackBySqlite() {
    return new SQLException(
        "the transaction is over, " + sqliteRollback.getMessage() + "; call rollback()",
        "40000",
        sqliteRollback.getCause());
  }

  private void begin() throws SQLException {
    if (state != State.NONE) {
      return;
    }
    if (readOnly) {
      writer.statements.execute("BEGIN");
      state = State.READING;
      return;
    }
    calledNanos = System.nanoTime();
    source.stats.accepted();
    try {
      takeTurn(calledNanos);
    } catch (SQLException e) {
      source.stats.finished(calledNanos);
      throw e;
    }
    try {
      source.transactions.begin(writer, calledNanos);
    } catch (InterruptedException e) {
      releaseTurn();
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(source.name);
    } catch (Throwable e) {
      releaseTurn();
      source.stats.taskFailed(e);
      throw e;
    }
    begunNanos = System.nanoTime();
    source.stats.queueWait(begunNanos - calledNanos);
    writer.watch.arm();
    state = State.WRITING;
  }

  private void takeTurn(long called) throws SQLException {
    try {
      source.turns.take(called);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(source.name);
    } catch (SqliteBusyException e) {
      source.stats.taskFailed(e);
      throw e;
    }
  }

  /** The write transaction is over, however it ended: the next writer's turn. */
  private void releaseTurn() {
    source.turns.release();
    source.stats.finished(calledNanos);
  }

  /** commit() or rollback(): ends whatever transaction is open. */
  private void end(boolean commit) throws SQLException {
    if (autoCommit && state == State.NONE) {
      throw new SQLException(
          (commit ? "commit()" : "rollback()") + " in auto-commit mode: nothing to end");
    }
    switch (state) {
      case READING:
        state = State.NONE;
        writer.statements.execute(commit ? "COMMIT" : "ROLLBACK");
        return;
      case WRITING:
        state = State.NONE;
        writer.watch.disarm();
        try {
          finishWrite(commit);
        } finally {
          releaseTurn();
        }
        return;
      case ROLLED_BACK_BY_SQLITE:
        state = State.NONE;
        if (commit) {
          throw rolledBackBySqlite();
        }
        return;
      default:
        return;
    }
  }

  private void finishWrite(boolean commit) throws SQLException {
    if (!commit) {
      source.stats.rolledBack();
      SQLException failed = new SQLException("rollback failed");
      if (!ConnectionSteps.rollbackQuietly(writer.connection, failed)) {
        writer.suspect();
        throw failed;
      }
      return;
    }
    try {
      source.transactions.commit(writer, 1, begunNanos);
      source.stats.committed(1);
    } catch (InterruptedException e) {
      failedCommit(e);
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(source.name);
    } catch (SQLException | RuntimeException e) {
      failedCommit(e);
      source.stats.taskFailed(e);
      throw e;
    }
  }

  /** A COMMIT that failed leaves the transaction open: roll it back, check the connection. */
  private void failedCommit(Exception e) {
    ConnectionSteps.rollbackQuietly(writer.connection, e);
    source.stats.rolledBack();
    writer.suspect();
  }

  private void endQuietly(Throwable cause) {
    try {
      end(false);
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  void setReadOnly(boolean on) throws SQLException {
    if (on == readOnly) {
      return;
    }
    if (state != State.NONE) {
      throw new SQLException("setReadOnly() inside a transaction: commit or roll back first");
    }
    writer.statements.execute(on ? "PRAGMA query_only=1" : "PRAGMA query_only=0");
    readOnly = on;
  }

  Savepoint setSavepoint(String label) throws SQLException {
    if (autoCommit) {
      throw new SQLException("setSavepoint() in auto-commit mode: call setAutoCommit(false) first");
    }
    if (state == State.ROLLED_BACK_BY_SQLITE) {
      throw rolledBackBySqlite();
    }
    begin();
    NamedSavepoint savepoint = new NamedSavepoint(label);
    ConnectionSteps.execute(writer.connection, "SAVEPOINT " + savepoint.sqlName());
    return savepoint;
  }

  private void savepoint(String verb, Savepoint savepoint) throws SQLException {
    if (state == State.ROLLED_BACK_BY_SQLITE) {
      throw rolledBackBySqlite();
    }
    if (!(savepoint instanceof NamedSavepoint) || state == State.NONE) {
      throw new SQLException(verb + " of a savepoint this transaction did not set");
    }
    ConnectionSteps.execute(writer.connection, verb + " " + ((NamedSavepoint) savepoint).sqlName());
  }

  /**
   * The loan ends: an auto-commit write whose rows were still open commits, any other open
   * transaction rolls back, and a read-only connection is marked to be reset.
   *
   * @throws SQLException if that pending auto-commit write failed to commit
   */
  void endOnClose() throws SQLException {
    SQLException pendingCommitFailed = null;
    try {
      finishPendingAutoCommit();
    } catch (SQLException e) {
      pendingCommitFailed = e;
    }
    if (state != State.NONE) {
      endQuietly(new SQLException("closing"));
    }
    if (readOnly) {
      // query_only is set back by the reset after the loan, which checks every setting.
      writer.suspect();
    }
    if (pendingCommitFailed != null) {
      throw pendingCommitFailed;
    }
  }
}
