package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.internal.connection.GeneratedKeys;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.view.JdbcViews;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection lent by {@code ImmediateDataSource}, as the caller sees it: the JDBC calls a
 * framework makes, routed to the {@link LentTransaction} that turns them into {@code immediate}'s
 * turns and SQL-level transactions, to {@link DataSourceObject} views of the statements and other
 * objects it leads to, or to the raw connection the caller never reaches. See {@code
 * ImmediateDataSource} for the contract.
 *
 * <p>Calls are serialized on this object's lock, so statements handed to another thread cannot
 * interleave with a commit; a lock, not a monitor, so that a virtual thread waiting for a turn
 * unmounts.
 */
final class DataSourceConnection implements InvocationHandler {
  private final DataSourcePool source;
  private final WriteConnection writer;
  private final Connection raw;
  private final Connection view;
  private final LentTransaction transaction;

  /** Statements handed out, closed with the connection: the raw one goes to another caller. */
  private final List<Statement> opened = new ArrayList<>();

  /**
   * Statements made on the shared write connection of a {@code group-commit-data-source}, closed
   * when the write transaction ends: the connection goes to the next transaction then.
   */
  private final List<Statement> openedInSharedTransaction = new ArrayList<>();

  /** Serializes calls. */
  final ReentrantLock lock = new ReentrantLock();

  private volatile boolean closed;

  DataSourceConnection(DataSourcePool source, WriteConnection writer) {
    this.source = source;
    this.writer = writer;
    this.raw = writer.connection;
    this.transaction = new LentTransaction(source, writer, this::closeSharedStatements);
    this.view = (Connection) JdbcViews.proxy(Connection.class, this);
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
    if (name.startsWith("set") || name.equals("commit") || name.equals("rollback")) {
      // JDBC's settings and transaction calls come after an auto-commit write still reading rows.
      transaction.finishPendingAutoCommit();
    }
    return connectionCall(method, args);
  }

  /** The connection's own calls: its transaction's, its statements', or the raw connection's. */
  private Object connectionCall(Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "getAutoCommit":
        return transaction.autoCommit();
      case "setAutoCommit":
        transaction.setAutoCommit((Boolean) args[0]);
        return null;
      case "commit":
        transaction.commit();
        return null;
      case "rollback":
        if (args == null) {
          transaction.rollback();
        } else {
          transaction.rollback((Savepoint) args[0]);
        }
        return null;
      case "setSavepoint":
        return transaction.setSavepoint(args == null ? null : (String) args[0]);
      case "releaseSavepoint":
        transaction.release((Savepoint) args[0]);
        return null;
      case "setReadOnly":
        transaction.setReadOnly((Boolean) args[0]);
        return null;
      case "isReadOnly":
        return transaction.readOnly();
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
          // Refuses BEGIN, COMMIT, ... before they exist.
          transaction.checkSql((String) args[0]);
        }
        // Under shared COMMITs a write transaction's statements are made on the shared connection.
        transaction.beginBeforeStatement();
        Statement statement =
            (Statement) DataSourceObject.forward(transaction.connection().connection, method, args);
        openedList().add(statement);
        return DataSourceObject.statement(
            this, method, args, statement, transaction.sharingEpoch());
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

  /** The transaction a statement's execution runs under. */
  LentTransaction transaction() {
    return transaction;
  }

  /** The reading of generated keys of the raw connection statements run on now. */
  GeneratedKeys keys() {
    return transaction.connection().keys;
  }

  private List<Statement> openedList() {
    return transaction.sharingEpoch() != 0 ? openedInSharedTransaction : opened;
  }

  /**
   * A key read earlier (or none) as the caller's result set, closed with this connection at the
   * latest: a statement still running on the raw connection would hold up its next borrower.
   */
  Object keyRows(Long key) throws SQLException {
    ResultSet rows = keys().rows(key);
    openedList().add(rows.getStatement());
    return DataSourceObject.keyRows(this, rows, transaction.sharingEpoch());
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("this " + source.name + " connection is closed", "08003");
    }
  }

  /**
   * Runs one execution of a statement under the transaction's rules, once the connection is known
   * to be open.
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
      return transaction.execute(sql, statement, call);
    } finally {
      lock.unlock();
    }
  }

  /** A statement closed by its caller is no longer closed with the connection. */
  void forget(Statement statement) throws SQLException {
    if (!opened.remove(statement)) {
      openedInSharedTransaction.remove(statement);
    }
    transaction.rowsRead(statement);
  }

  /** The shared write transaction ends: its statements go with it, before the next one's turn. */
  private void closeSharedStatements() {
    closeAll(openedInSharedTransaction);
  }

  private static void closeAll(List<Statement> statements) {
    for (int i = statements.size() - 1; i >= 0; i--) {
      try {
        statements.get(i).close();
      } catch (SQLException | RuntimeException ignored) {
        // Closed with the raw connection at the latest.
      }
    }
    statements.clear();
  }

  /**
   * Ends the loan: closes what the caller left open, ends the transaction, and gives the raw
   * connection back to be reset (read-only mode ended, settings checked) or replaced.
   */
  private void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(opened);
    try {
      transaction.endOnClose();
    } finally {
      source.release(writer);
    }
  }
}
