package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.TransactionControlException;
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
import java.util.Locale;

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

  /** The transaction write transactions share, or null where each commits alone. */
  private final SharedCommit shared;

  /** Closes the statements made on the shared connection, before the next transaction's turn. */
  private final Runnable closeSharedStatements;

  /** This write transaction's group, while it runs inside the shared transaction. */
  private SharedCommit.Group group;

  /** Whether this member ran a statement already, and whether DDL or a PRAGMA among them. */
  private boolean ranInGroup;

  private boolean ranOtherInGroup;

  /** Numbers this connection's shared write transactions; 0 while none runs. */
  private long sharingEpoch;

  private long lastEpoch;
  private boolean autoCommit = true;
  private boolean readOnly;
  private State state = State.NONE;
  private SQLException sqliteRollback;
  private long begunNanos;
  private long calledNanos;

  /** The statement of an auto-commit write whose rows are still being read: COMMIT follows. */
  private Statement pendingAutoCommit;

  LentTransaction(DataSourcePool source, WriteConnection writer, Runnable closeSharedStatements) {
    this.source = source;
    this.writer = writer;
    this.shared = source.shared;
    this.closeSharedStatements = closeSharedStatements;
  }

  /** The raw connection statements run on now: the shared one inside a shared transaction. */
  WriteConnection connection() {
    return group != null ? shared.writer() : writer;
  }

  /** The shared write transaction running now (see {@link DataSourceObject}), or 0. */
  long sharingEpoch() {
    return sharingEpoch;
  }

  /**
   * Refuses an object made in a shared transaction ({@code epoch}; 0 for none) that has ended: its
   * connection is another's.
   */
  void checkUsable(long epoch) throws SQLException {
    if (epoch != 0 && epoch != sharingEpoch) {
      if (state == State.ROLLED_BACK_BY_SQLITE) {
        throw rolledBackBySqlite();
      }
      throw new SQLException(
          "this statement belonged to a "
              + source.name
              + " transaction that has ended: the write connection is lent to a transaction, not"
              + " a caller, so prepare statements inside the transaction that runs them",
          "HY010");
    }
  }

  /**
   * Under shared COMMITs, a write transaction begins when its first statement is made, so that the
   * statement is made on the shared connection.
   */
  void beginBeforeStatement() throws SQLException {
    if (shared != null && !autoCommit && !readOnly && state == State.NONE) {
      begin();
    }
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
    if (checkSql(sql) != SqlText.Kind.OTHER) {
      return;
    }
    if (shared != null && !autoCommit) {
      // In a batch it would run unseen by the rules that keep it from the shared COMMIT.
      throw new SQLException(
          source.name + " runs DDL and PRAGMAs as statements of their own, not in a batch: " + sql,
          "42000");
    }
    writer.replace();
  }

  /**
   * Refuses what this DataSource cannot let run: SQL that begins or ends a transaction, several
   * statements in one string (one could COMMIT or BEGIN behind the first), and on a read-only
   * connection anything but row statements (a PRAGMA could turn query_only off).
   */
  SqlText.Kind checkSql(String sql) throws SQLException {
    SqlText.Kind kind = SqlText.classify(sql);
    if (shared != null) {
      checkSharedSql(sql, kind);
    }
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
   * What would end or break the transaction others share: {@code OR ROLLBACK} (a constraint
   * conflict would roll back their writes too), and the members' own savepoint.
   */
  private void checkSharedSql(String sql, SqlText.Kind kind) throws TransactionControlException {
    if (kind == SqlText.Kind.ROWS && SqlText.rollsBackOnConflict(sql)) {
      throw new TransactionControlException(
          "OR ROLLBACK (a conflict would roll back the COMMIT other transactions share; use OR"
              + " ABORT or OR FAIL in "
              + source.name
              + ")");
    }
    if (kind == SqlText.Kind.SAVEPOINT
        && sql.toLowerCase(Locale.ROOT).contains(SharedCommit.MEMBER_SAVEPOINT)) {
      throw new TransactionControlException("the savepoint " + SharedCommit.MEMBER_SAVEPOINT);
    }
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
      if (group != null && statement != null && statement.getConnection() == writer.connection) {
        throw new SQLException(
            "this statement was prepared before the transaction began, on a connection that"
                + " cannot see it: under "
                + source.name
                + " a write transaction's statements are prepared after setAutoCommit(false)",
            "HY010");
      }
      return watched(sql, call, kind);
    }
    if (kind == SqlText.Kind.SAVEPOINT) {
      throw new SQLException(
          "savepoints need a transaction: call setAutoCommit(false) first, then setSavepoint()");
    }
    if (readOnly || (sql != null && kind == SqlText.Kind.ROWS && SqlText.onlyReads(sql))) {
      return watched(sql, call, kind);
    }
    if (kind == SqlText.Kind.OTHER) {
      // A PRAGMA or DDL: many may not run inside a transaction (synchronous, journal_mode), so
      // it runs as it is, but in turn, so that no write of this DataSource's meets it.
      takeTurn(System.nanoTime(), false);
      try {
        return watched(sql, call, kind);
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
      result = watched(null, call, kind);
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
  private Object watched(String sql, DataSourceObject.Execution call, SqlText.Kind kind)
      throws Throwable {
    long start = System.nanoTime();
    if (group != null && !shared.isOpen(group)) {
      // Ended under the member (the DataSource closed): nothing may run outside it.
      afterSharedCall(null);
      throw rolledBackBySqlite();
    }
    if (kind == SqlText.Kind.OTHER) {
      if (group != null) {
        // Nothing it does may fail the COMMIT that earlier members share (see SharedCommit).
        goAlone(sql);
      } else {
        // A PRAGMA, DDL, ATTACH: the raw connection may differ from the settings afterwards.
        writer.replace();
      }
    }
    ranInGroup = true;
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
    if (group != null) {
      afterSharedCall(error);
      return;
    }
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

  /** The member runs DDL or a PRAGMA: see {@link SharedCommit#alone}. */
  private void goAlone(String sql) throws SQLException {
    try {
      group = shared.alone(group, ranInGroup, sql, calledNanos);
      ranOtherInGroup = true;
    } catch (TransactionControlException e) {
      throw e; // refused before it ran: the member goes on
    } catch (InterruptedException | SQLException | RuntimeException e) {
      // Its own transaction could not begin: the member is out of every group, with nothing done;
      // a group still open holds only earlier members, whose COMMIT runs now.
      shared.flush();
      leaveGroup(
          e,
          new SQLException("its own transaction could not begin: " + e.getMessage(), "40000", e));
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw WriteInterruptedException.notCommitted(source.name);
      }
      throw rolledBackBySqlite();
    }
  }

  /** SQLite ended the shared transaction (a full disk, an I/O error): every member's writes too. */
  private void afterSharedCall(SQLException error) {
    if (!shared.writer().watch.fired() && shared.isOpen(group)) {
      return;
    }
    SQLException cause = error != null ? error : new SQLException("hook");
    shared.lose(group, cause);
    leaveGroup(
        cause,
        new SQLException(
            "SQLite rolled back the transaction"
                + (error == null ? "" : " after: " + error.getMessage()),
            "40000",
            error));
  }

  /**
   * The member is out of its group before its end, nothing of it kept: the turn goes on, and the
   * connection refuses statements until rollback().
   */
  private void leaveGroup(Exception cause, SQLException why) {
    endSharing();
    source.turns.releaseHere();
    source.stats.taskFailed(cause);
    source.stats.finished(calledNanos);
    state = State.ROLLED_BACK_BY_SQLITE;
    sqliteRollback = why;
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
    boolean sharing = shared != null && !autoCommit;
    try {
      takeTurn(calledNanos, sharing);
    } catch (SQLException e) {
      source.stats.finished(calledNanos);
      throw e;
    }
    if (sharing) {
      beginShared();
      return;
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

  /**
   * Takes the turn here and the process's turn. Under shared COMMITs a member takes the turn here
   * only (its group holds the process's turn from BEGIN to COMMIT), and any other writer commits
   * the open group before it takes the process's turn.
   *
   * @param member whether the caller joins the shared transaction
   */
  private void takeTurn(long called, boolean member) throws SQLException {
    try {
      if (shared == null) {
        source.turns.take(called);
        return;
      }
      source.turns.takeHere(called);
      if (member) {
        return;
      }
      try {
        shared.flush();
        source.turns.takeProcessTurn(called);
      } catch (InterruptedException | RuntimeException e) {
        source.turns.releaseHere();
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(source.name);
    } catch (SqliteBusyException e) {
      source.stats.taskFailed(e);
      throw e;
    }
  }

  /** With the turn taken: joins the shared transaction as a member, under its own savepoint. */
  private void beginShared() throws SQLException {
    try {
      group = shared.join(calledNanos);
    } catch (InterruptedException e) {
      source.turns.releaseHere();
      source.stats.finished(calledNanos);
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(source.name);
    } catch (SQLException | RuntimeException e) {
      source.turns.releaseHere();
      source.stats.finished(calledNanos);
      source.stats.taskFailed(e);
      throw e;
    }
    begunNanos = System.nanoTime();
    source.stats.queueWait(begunNanos - calledNanos);
    ranInGroup = false;
    ranOtherInGroup = false;
    sharingEpoch = ++lastEpoch;
    state = State.WRITING;
  }

  /** The member is out of the shared transaction: its statements close, its objects stop. */
  private void endSharing() {
    group = null;
    sharingEpoch = 0;
    closeSharedStatements.run();
  }

  /**
   * Ends a member: its savepoint released or rolled back, the turn handed on, and for a commit the
   * wait for the COMMIT that holds its writes.
   */
  private void endShared(boolean commit) throws SQLException {
    SharedCommit.Group ending = group;
    endSharing();
    try {
      shared.end(ending, commit, ranOtherInGroup);
    } catch (SQLException | RuntimeException e) {
      source.turns.releaseHere();
      source.stats.taskFailed(e);
      source.stats.finished(calledNanos);
      throw e;
    }
    source.turns.releaseHere();
    if (!commit) {
      source.stats.rolledBack();
      source.stats.finished(calledNanos);
      return;
    }
    try {
      shared.awaitCommit(ending, source.name);
    } catch (SQLException e) {
      source.stats.taskFailed(e);
      throw e;
    } finally {
      source.stats.finished(calledNanos);
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
        if (group != null) {
          endShared(commit);
          return;
        }
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
    ranInGroup = true; // alone() must not release it with the member's own savepoint
    NamedSavepoint savepoint = new NamedSavepoint(label);
    ConnectionSteps.execute(connection().connection, "SAVEPOINT " + savepoint.sqlName());
    return savepoint;
  }

  private void savepoint(String verb, Savepoint savepoint) throws SQLException {
    if (state == State.ROLLED_BACK_BY_SQLITE) {
      throw rolledBackBySqlite();
    }
    if (!(savepoint instanceof NamedSavepoint) || state == State.NONE) {
      throw new SQLException(verb + " of a savepoint this transaction did not set");
    }
    ConnectionSteps.execute(
        connection().connection, verb + " " + ((NamedSavepoint) savepoint).sqlName());
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
