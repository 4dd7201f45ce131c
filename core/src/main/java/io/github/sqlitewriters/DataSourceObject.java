package io.github.sqlitewriters;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;

/**
 * A statement, result set or metadata object reached from a {@link DataSourceConnection}: every
 * route back leads to the connection's view, never to the raw connection, and every call fails once
 * the connection is closed, because by then the raw connection is another caller's. Statement
 * executions go through the connection, which decides whether they need a turn.
 */
final class DataSourceObject implements InvocationHandler {
  /** One execution of a statement, told whether COMMIT follows at once (auto-commit writes). */
  @FunctionalInterface
  interface Execution {
    Object run(boolean commitsNext) throws Throwable;
  }

  private final DataSourceConnection owner;
  private final Class<?> type;
  private final Object target;
  private final Object parent;
  private final String preparedSql;
  private final boolean preparedForKeys;
  private Object self;

  /** The worst kind of SQL added to a plain statement's batch. */
  private SqlText.Kind batchKind = SqlText.Kind.ROWS;

  /** Whether the last execution asked for generated keys. */
  private boolean keysAsked;

  /** A result read in full before an auto-commit COMMIT, for getResultSet(). */
  private ResultSet held;

  private DataSourceObject(
      DataSourceConnection owner,
      Class<?> type,
      Object target,
      Object parent,
      String preparedSql,
      boolean preparedForKeys) {
    this.owner = owner;
    this.type = type;
    this.target = target;
    this.parent = parent;
    this.preparedSql = preparedSql;
    this.preparedForKeys = preparedForKeys;
  }

  /** Wraps a result set or metadata object; {@code parent} is what getStatement() returns. */
  static Object wrap(
      DataSourceConnection owner, Class<?> type, Object target, Object parent, String sql) {
    DataSourceObject handler = new DataSourceObject(owner, type, target, parent, sql, false);
    handler.self = ImmediateDataSource.proxy(type, handler);
    return handler.self;
  }

  /** Wraps a statement just created by {@code method} with {@code args} on the raw connection. */
  static Object statement(
      DataSourceConnection owner, Method method, Object[] args, Statement statement) {
    boolean prepared = !method.getName().equals("createStatement");
    DataSourceObject handler =
        new DataSourceObject(
            owner,
            method.getReturnType(),
            statement,
            owner.view(),
            prepared ? (String) args[0] : null,
            prepared && args.length == 2 && asksForKeys(args[1]));
    handler.self = ImmediateDataSource.proxy(handler.type, handler);
    return handler.self;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (method.getDeclaringClass() == Object.class) {
      switch (name) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return ImmediateDataSource.NAME + "'s " + type.getSimpleName();
      }
    }
    if (name.equals("cancel")) {
      // Not behind the connection's lock: it must reach the statement that holds it.
      return forward(target, method, args);
    }
    synchronized (owner) {
      return call(method, args);
    }
  }

  private Object call(Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("close")) {
      forward(target, method, args);
      if (target instanceof Statement) {
        owner.forget((Statement) target);
      }
      return null;
    }
    if (name.equals("isClosed")) {
      return owner.view().isClosed() || (Boolean) forward(target, method, args);
    }
    owner.checkOpen();
    switch (name) {
      case "execute":
      case "executeQuery":
      case "executeUpdate":
      case "executeLargeUpdate":
        return execute(method, args);
      case "executeBatch":
      case "executeLargeBatch":
        return owner.execute(
            preparedSql,
            preparedSql != null ? SqlText.classify(preparedSql) : batchKind,
            commitsNext -> forward(target, method, args));
      case "addBatch":
        if (args != null && args[0] instanceof String) {
          SqlText.Kind kind = SqlText.classify((String) args[0]);
          batchKind = kind.compareTo(batchKind) > 0 ? kind : batchKind;
        }
        return forward(target, method, args);
      case "getResultSet":
        if (held != null) {
          ResultSet result = held;
          held = null;
          return result;
        }
        break;
      case "getGeneratedKeys":
        if (keysAsked && !owner.driverReadsKeys()) {
          return owner.lastInsertRowid();
        }
        break;
      default:
        break;
    }
    return call(owner, type, target, self, method, args);
  }

  private Object execute(Method method, Object[] args) throws Throwable {
    boolean direct = args != null && args.length > 0 && args[0] instanceof String;
    String sql = direct ? (String) args[0] : preparedSql;
    SqlText.Kind kind = SqlText.classify(sql);
    keysAsked = direct ? args.length == 2 && asksForKeys(args[1]) : preparedForKeys;
    held = null;
    return owner.execute(
        sql,
        kind,
        commitsNext -> {
          Object result = forward(target, method, args);
          if (!commitsNext) {
            return wrapResult(method.getReturnType(), result);
          }
          // COMMIT would fail while this statement still has rows to give: read them now.
          if (result instanceof ResultSet) {
            return readInFull((ResultSet) result);
          }
          if (Boolean.TRUE.equals(result) && method.getName().equals("execute")) {
            held = readInFull(((Statement) target).getResultSet());
          }
          return result;
        });
  }

  private static ResultSet readInFull(ResultSet rows) throws SQLException {
    try (ResultSet closing = rows) {
      CachedRowSet copy = RowSetProvider.newFactory().createCachedRowSet();
      copy.populate(closing);
      return copy;
    }
  }

  private Object wrapResult(Class<?> declared, Object result) {
    return declared == ResultSet.class && result != null
        ? wrap(owner, ResultSet.class, result, self, null)
        : result;
  }

  /**
   * Delegates one call to the raw object, keeping what it returns inside: a connection is the view,
   * result sets and metadata are wrapped, {@code unwrap} reaches nothing beneath.
   */
  static Object call(
      DataSourceConnection owner,
      Class<?> type,
      Object target,
      Object self,
      Method method,
      Object[] args)
      throws Throwable {
    switch (method.getName()) {
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(self)) {
          return self;
        }
        throw new SQLException(
            ImmediateDataSource.NAME
                + " does not lead to the raw connection's objects ("
                + ((Class<?>) args[0]).getName()
                + "): they would write outside its turns");
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(self);
      case "getConnection":
        return owner.view();
      default:
        break;
    }
    Object result = forward(target, method, args);
    if (result == null) {
      return null;
    }
    Class<?> declared = method.getReturnType();
    if (declared == Connection.class) {
      return owner.view();
    }
    if (declared == ResultSet.class) {
      return wrap(
          owner, ResultSet.class, result, type == DatabaseMetaData.class ? null : self, null);
    }
    if (declared == DatabaseMetaData.class) {
      return wrap(owner, DatabaseMetaData.class, result, owner.view(), null);
    }
    if (Statement.class.isAssignableFrom(declared)) {
      // ResultSet.getStatement(): the statement this result came from.
      return type == ResultSet.class ? getParent(self) : null;
    }
    return result;
  }

  private static Object getParent(Object self) {
    return ((DataSourceObject) java.lang.reflect.Proxy.getInvocationHandler(self)).parent;
  }

  static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** JDBC asks for generated keys with RETURN_GENERATED_KEYS or with column indexes or names. */
  static boolean asksForKeys(Object argument) {
    if (argument instanceof Integer) {
      return (Integer) argument == Statement.RETURN_GENERATED_KEYS;
    }
    return argument instanceof int[] || argument instanceof String[];
  }
}
