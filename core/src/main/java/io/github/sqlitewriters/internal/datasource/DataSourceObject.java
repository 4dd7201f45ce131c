package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.internal.view.JdbcViews;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/**
 * A statement, result set, metadata or any other JDBC object reached from a {@link
 * DataSourceConnection}: every route back leads to the connection's view, never to the raw
 * connection, and every call fails once the connection is closed, because by then the raw
 * connection is another caller's. Statement executions go through the connection, which decides
 * whether they need a turn.
 */
final class DataSourceObject implements InvocationHandler {
  /** One execution of a statement on the raw connection. */
  @FunctionalInterface
  interface Execution {
    Object run() throws Throwable;
  }

  private final DataSourceConnection owner;
  private final Class<?> type;
  private final Object target;

  /** The raw statement this object is or came from; null for metadata. */
  private final Statement statement;

  private final String preparedSql;
  private final boolean preparedForKeys;

  /**
   * The shared write transaction this object was made in ({@link LentTransaction#sharingEpoch()}),
   * or 0 for one made on the lent connection's own: it works only while that transaction runs.
   */
  private final long epoch;

  private Object self;

  /** What getStatement() returns: the statement view a result set came from. */
  private Object parent;

  /**
   * Whether the last execution asked for generated keys that this object read (where the driver
   * does not), and the key: null if it inserted no row.
   */
  private boolean keysRead;

  private Long key;

  private DataSourceObject(
      DataSourceConnection owner,
      Class<?> type,
      Object target,
      Statement statement,
      String preparedSql,
      boolean preparedForKeys,
      long epoch) {
    this.owner = owner;
    this.epoch = epoch;
    this.type = type;
    this.target = target;
    this.statement = statement;
    this.preparedSql = preparedSql;
    this.preparedForKeys = preparedForKeys;
  }

  /** Wraps a JDBC object of the declared interface; {@code parent} is what getStatement() gives. */
  static Object wrap(DataSourceConnection owner, Class<?> type, Object target, Object parent) {
    Statement from = null;
    long epoch = 0;
    if (parent != null
        && Proxy.isProxyClass(parent.getClass())
        && Proxy.getInvocationHandler(parent) instanceof DataSourceObject) {
      DataSourceObject parentHandler = (DataSourceObject) Proxy.getInvocationHandler(parent);
      from = parentHandler.statement;
      epoch = parentHandler.epoch;
    }
    DataSourceObject handler = new DataSourceObject(owner, type, target, from, null, false, epoch);
    handler.parent = parent;
    handler.self = JdbcViews.proxy(type, handler);
    return handler.self;
  }

  /**
   * Wraps the generated keys read for a statement, made in the shared transaction {@code epoch}.
   */
  static Object keyRows(DataSourceConnection owner, ResultSet rows, long epoch) {
    DataSourceObject handler =
        new DataSourceObject(owner, ResultSet.class, rows, null, null, false, epoch);
    handler.self = JdbcViews.proxy(ResultSet.class, handler);
    return handler.self;
  }

  /**
   * Wraps a statement just created by {@code method} with {@code args} on a raw connection.
   *
   * @param epoch the shared write transaction it was made in, or 0
   */
  static Object statement(
      DataSourceConnection owner, Method method, Object[] args, Statement statement, long epoch) {
    boolean prepared = !method.getName().equals("createStatement");
    DataSourceObject handler =
        new DataSourceObject(
            owner,
            method.getReturnType(),
            statement,
            statement,
            prepared ? (String) args[0] : null,
            prepared && args.length == 2 && JdbcViews.asksForKeys(args[1]),
            epoch);
    handler.parent = owner.view();
    handler.self = JdbcViews.proxy(handler.type, handler);
    return handler.self;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (JdbcViews.isObjectMethod(method)) {
      return JdbcViews.objectMethod(
          proxy, method, args, () -> owner.name() + "'s " + type.getSimpleName());
    }
    if (name.equals("cancel")) {
      if (epoch != 0) {
        // sqlite3_interrupt stops whatever runs on the connection, and an interrupted write rolls
        // back the whole transaction: the other transactions sharing its COMMIT too.
        throw new SQLFeatureNotSupportedException(
            owner.name()
                + " cannot cancel a write transaction's statement: the interrupt would roll back"
                + " the transactions that share its COMMIT");
      }
      // Not behind the connection's lock: it must reach the statement that holds it. Once the
      // connection is closed the raw connection is another caller's: interrupting it would cancel
      // their statement.
      return owner.view().isClosed() ? null : forward(target, method, args);
    }
    owner.lock.lock();
    try {
      return call(method, args);
    } finally {
      owner.lock.unlock();
    }
  }

  private Object call(Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("close") || name.equals("isClosed")) {
      return closeCall(name, method, args);
    }
    owner.checkOpen();
    owner.transaction().checkUsable(epoch);
    switch (name) {
      case "execute":
      case "executeQuery":
      case "executeUpdate":
      case "executeLargeUpdate":
        return execute(method, args);
      case "executeBatch":
      case "executeLargeBatch":
        // A plain statement's batch (sql null) counts as a write: its SQL was checked when added.
        keysRead = false;
        return owner.execute(preparedSql, statement, () -> forward(target, method, args));
      case "addBatch":
        if (args != null && args[0] instanceof String) {
          owner.transaction().checkBatchSql((String) args[0]);
        }
        return forward(target, method, args);
      case "getGeneratedKeys":
        if (keysRead) {
          return owner.keyRows(key);
        }
        break;
      case "getResultSet":
      case "getMoreResults":
        if (statement != null) {
          // The rows of an auto-commit write are read through here: move on when done.
          Object result = forward(target, method, args);
          if (result == null || Boolean.FALSE.equals(result)) {
            owner.transaction().rowsRead(statement);
          }
          return wrapReturned(method.getReturnType(), result);
        }
        break;
      default:
        break;
    }
    return callRaw(method, args);
  }

  /** close() and isClosed(), which work on a closed connection too. */
  private Object closeCall(String name, Method method, Object[] args) throws Throwable {
    if (name.equals("isClosed")) {
      return owner.view().isClosed() || (Boolean) forward(target, method, args);
    }
    forward(target, method, args);
    if (target == statement) {
      owner.forget(statement);
    } else if (target instanceof ResultSet && statement != null) {
      owner.transaction().rowsRead(statement);
    }
    return null;
  }

  private Object execute(Method method, Object[] args) throws Throwable {
    boolean direct = args != null && args.length > 0 && args[0] instanceof String;
    String sql = direct ? (String) args[0] : preparedSql;
    boolean asked = direct ? args.length == 2 && JdbcViews.asksForKeys(args[1]) : preparedForKeys;
    keysRead = false;
    return owner.execute(
        sql,
        statement,
        () -> {
          Object result = forward(target, method, args);
          if (asked && !owner.keys().driverReads()) {
            // Read now, under the same turn: a later statement moves last_insert_rowid() on.
            key = owner.keys().keyOf(sql, statement, result);
            keysRead = true;
          }
          return wrapReturned(method.getReturnType(), result);
        });
  }

  /**
   * Delegates one call to the raw object, keeping what it returns inside: a connection is the view,
   * every other JDBC interface is wrapped, {@code unwrap} reaches nothing beneath.
   */
  private Object callRaw(Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(self)) {
          return self;
        }
        throw new SQLException(
            owner.name()
                + " does not lead to the raw connection's objects ("
                + ((Class<?>) args[0]).getName()
                + "): they would write outside its turns");
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(self);
      case "getConnection":
        return owner.view();
      case "getStatement":
        return parent;
      default:
        return wrapReturned(method.getReturnType(), forward(target, method, args));
    }
  }

  /** Wraps any JDBC interface a call returns (metadata too: sqlite-jdbc's lead to statements). */
  private Object wrapReturned(Class<?> declared, Object result) {
    if (result == null
        || !JdbcViews.isJdbcInterface(declared)
        || declared == java.sql.Savepoint.class) {
      return result;
    }
    if (declared == Connection.class) {
      return owner.view();
    }
    return wrap(owner, declared, result, statement != null && target == statement ? self : parent);
  }

  /** Delegates one call to the connection's raw object, wrapping what it returns. */
  static Object callRaw(DataSourceConnection owner, Object target, Method method, Object[] args)
      throws Throwable {
    DataSourceObject handler =
        new DataSourceObject(owner, Connection.class, target, null, null, false, 0);
    handler.self = owner.view();
    return handler.callRaw(method, args);
  }

  static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
