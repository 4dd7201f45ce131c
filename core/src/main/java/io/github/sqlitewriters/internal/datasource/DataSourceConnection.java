package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.WriteInReadException;
import io.github.sqlitewriters.WriteInterruptedException;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import io.github.sqlitewriters.internal.view.JdbcViews;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection lent by {@code ImmediateDataSource}: the JDBC transaction calls a framework makes,
 * turned into {@code immediate}'s turns and SQL-level transactions on a raw connection the caller
 * never reaches. See {@code ImmediateDataSource} for the contract.
 *
 * <p>The raw connection stays in the state {@link WriteConnection} keeps it in (no driver
 * transaction of its own); this class sends BEGIN, BEGIN IMMEDIATE, COMMIT and ROLLBACK as SQL.
 * Calls are serialized on this object, so statements handed to another thread cannot interleave
 * with a commit.
 */
final class DataSourceConnection implements InvocationHandler {
  /** Where this connection's transaction stands. */
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

  private static final AtomicInteger SAVEPOINT_NAMES = new AtomicInteger();

  private final DataSourcePool source;
  private final WriteConnection writer;
  private final Connection raw;
  private final Connection view;

  /** Statements handed out, closed with the connection: the raw one goes to another caller. */
  private final List<Statement> opened = new ArrayList<>();

  /** Serializes calls; a lock, not a monitor, so a virtual thread waiting for a turn unmounts. */
  final ReentrantLock lock = new ReentrantLock();

  private volatile boolean closed;
  private boolean autoCommit = true;
  private boolean readOnly;
  private State state = State.NONE;
  private SQLException sqliteRollback;
  private long begunNanos;
  private long calledNanos;

  /** The statement of an auto-commit write whose rows are still being read: COMMIT follows. */
  private Statement pendingAutoCommit;

  /** Runs {@code SELECT last_insert_rowid()} for callers that asked for keys; prepared once. */
  private PreparedStatement keys;

  DataSourceConnection(DataSourcePool source, WriteConnection writer) {
    this.source = source;
    this.writer = writer;
    this.raw = writer.connection;
    this.view = (Connection) JdbcViews.proxy(Connection.class, this);
  }

  boolean driverReadsKeys() {
    return source.driverReadsKeys;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    lock.lock();
    try {
      return call(proxy, method, args);
    } finally {
      lock.unlock();
    }
  }

  private Object call(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "close":
      case "abort":
        close();
        return null;
      case "isClosed":
        return closed;
      case "equals":
      case "hashCode":
      case "toString":
        return JdbcViews.objectMethod(
            proxy, method, args, () -> source.name + " connection to " + source.settings.path());
      default:
        break;
    }
    checkOpen();
    return connectionCall(method, args);
  }

  /** Marks "not answered" for {@link #transactionCall}. */
  private static final Object NOT_A_TRANSACTION_CALL = new Object();

  /** The calls that begin, end or nest the lent connection's transaction. */
  private Object transactionCall(String name, Object[] args) throws SQLException {
    switch (name) {
      case "getAutoCommit":
        return autoCommit;
      case "setAutoCommit":
        setAutoCommit((Boolean) args[0]);
        return null;
      case "commit":
        end(true);
        return null;
      case "rollback":
        if (args == null) {
          end(false);
        } else {
          savepoint("ROLLBACK TO", (Savepoint) args[0]);
        }
        return null;
      case "setSavepoint":
        return setSavepoint(args == null ? null : (String) args[0]);
      case "releaseSavepoint":
        savepoint("RELEASE", (Savepoint) args[0]);
        return null;
      default:
        return NOT_A_TRANSACTION_CALL;
    }
  }

  private Object connectionCall(Method method, Object[] args) throws Throwable {
    if (method.getName().startsWith("set")
        || method.getName().equals("commit")
        || method.getName().equals("rollback")) {
      finishPendingAutoCommit();
    }
    Object transactionAnswer = transactionCall(method.getName(), args);
    if (transactionAnswer != NOT_A_TRANSACTION_CALL) {
      return transactionAnswer;
    }
    switch (method.getName()) {
      case "setReadOnly":
        setReadOnly((Boolean) args[0]);
        return null;
      case "isReadOnly":
        return readOnly;
      case "setTransactionIsolation":
        // JDBC lets a driver give a stricter level than asked: SQLite's is always serializable.
        return null;
      case "getTransactionIsolation":
        return Connection.TRANSACTION_SERIALIZABLE;
      case "getMetaData":
        return DataSourceObject.wrap(this, DatabaseMetaData.class, raw.getMetaData(), view);
      case "createStatement":
      case "prepareStatement":
      case "prepareCall":
        if (args != null && args[0] instanceof String) {
          checkSql((String) args[0]); // refuses BEGIN, COMMIT, ... before they exist
        }
        Statement statement = (Statement) DataSourceObject.forward(raw, method, args);
        opened.add(statement);
        return DataSourceObject.statement(this, method, args, statement);
      default:
        return DataSourceObject.callRaw(this, raw, method, args);
    }
  }

  /** The DataSource's name, for messages. */
  String name() {
    return source.name;
  }

  /** The view every route back to a connection ends at. */
  Connection view() {
    return view;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("this " + source.name + " connection is closed", "08003");
    }
  }

  /**
   * The key of the last INSERT on this connection, for a statement that asked for keys and inserted
   * a row; no row otherwise, never a stale key of an earlier statement.
   */
  ResultSet generatedKeys(boolean inserted) throws SQLException {
    if (keys == null) {
      keys = raw.prepareStatement("SELECT last_insert_rowid() WHERE ?");
      opened.add(keys);
    }
    keys.setBoolean(1, inserted);
    return (ResultSet) DataSourceObject.wrap(this, ResultSet.class, keys.executeQuery(), null);
  }

  /** A statement closed by its caller is no longer closed with the connection. */
  void forget(Statement statement) throws SQLException {
    opened.remove(statement);
    rowsRead(statement);
  }

  /** The caller is done with a statement's rows: an auto-commit write waiting on them commits. */
  void rowsRead(Statement statement) throws SQLException {
    if (pendingAutoCommit == statement) {
      finishPendingAutoCommit();
    }
  }

  private void finishPendingAutoCommit() throws SQLException {
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
  private SqlText.Kind checkSql(String sql) throws SQLException {
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
    lock.lock();
    try {
      checkOpen();
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
    } finally {
      lock.unlock();
    }
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
    ConnectionSteps.rollbackQuietly(raw, error != null ? error : new SQLException("hook"));
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
      writer.control.execute("BEGIN");
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
      source.transactions.begin(raw, writer.control, calledNanos);
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
        writer.control.execute(commit ? "COMMIT" : "ROLLBACK");
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
      if (!ConnectionSteps.rollbackQuietly(raw, failed)) {
        writer.suspect();
        throw failed;
      }
      return;
    }
    try {
      source.transactions.commit(raw, writer.control, 1, begunNanos);
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
    ConnectionSteps.rollbackQuietly(raw, e);
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

  /** JDBC: switching auto-commit on inside a transaction commits it. */
  private void setAutoCommit(boolean on) throws SQLException {
    if (on && !autoCommit && state != State.NONE) {
      end(true);
    }
    autoCommit = on;
  }

  private void setReadOnly(boolean on) throws SQLException {
    if (on == readOnly) {
      return;
    }
    if (state != State.NONE) {
      throw new SQLException("setReadOnly() inside a transaction: commit or roll back first");
    }
    writer.control.execute(on ? "PRAGMA query_only=1" : "PRAGMA query_only=0");
    readOnly = on;
  }

  private Savepoint setSavepoint(String label) throws SQLException {
    if (autoCommit) {
      throw new SQLException("setSavepoint() in auto-commit mode: call setAutoCommit(false) first");
    }
    if (state == State.ROLLED_BACK_BY_SQLITE) {
      throw rolledBackBySqlite();
    }
    begin();
    NamedSavepoint savepoint = new NamedSavepoint(SAVEPOINT_NAMES.incrementAndGet(), label);
    ConnectionSteps.execute(raw, "SAVEPOINT " + savepoint.sqlName());
    return savepoint;
  }

  private void savepoint(String verb, Savepoint savepoint) throws SQLException {
    if (state == State.ROLLED_BACK_BY_SQLITE) {
      throw rolledBackBySqlite();
    }
    if (!(savepoint instanceof NamedSavepoint) || state == State.NONE) {
      throw new SQLException(verb + " of a savepoint this transaction did not set");
    }
    ConnectionSteps.execute(raw, verb + " " + ((NamedSavepoint) savepoint).sqlName());
  }

  /**
   * Ends the loan: closes what the caller left open, rolls back an open transaction, and gives the
   * raw connection back to be reset (read-only mode ended, settings checked) or replaced.
   */
  private void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (SQLException | RuntimeException ignored) {
        // Closed with the raw connection at the latest.
      }
    }
    opened.clear();
    // Auto-commit: a write whose rows were still open completes now that they are closed.
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
      // query_only is set back by the reset below, which checks every setting.
      writer.suspect();
    }
    source.release(writer);
    if (pendingCommitFailed != null) {
      throw pendingCommitFailed;
    }
  }

  /** A savepoint set through {@code setSavepoint}, under a name no SQL of the caller uses. */
  private static final class NamedSavepoint implements Savepoint {
    private final int id;
    private final String label;

    NamedSavepoint(int id, String label) {
      this.id = id;
      this.label = label;
    }

    String sqlName() {
      return "sqlite_writers_savepoint_" + id;
    }

    @Override
    public int getSavepointId() throws SQLException {
      if (label != null) {
        throw new SQLException("a named savepoint has no id: use getSavepointName()");
      }
      return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
      if (label == null) {
        throw new SQLException("an unnamed savepoint has no name: use getSavepointId()");
      }
      return label;
    }
  }
}
