package io.github.sqlitewriters;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The connection one work sees, valid only while that work runs: a view of the executor's
 * connection minus every way of ending its transaction, changing its settings or reaching the raw
 * connection, the way a pool hands out a proxy per borrow.
 *
 * <p>Every JDBC object obtained through the view (statements, result sets, metadata, and what they
 * lead to) is a view of its own under the same seal, and every route back to a connection ({@code
 * getConnection()}, {@code unwrap}) ends at this view. {@link #seal()} ends it when the work
 * returns: statements the work forgot are closed, and any later call on anything obtained from it
 * throws {@link ConnectionOutsideWorkException} before it reaches SQLite. Calls and sealing are
 * serialized on the view, so a call from a thread the work handed the view to either finishes
 * before the seal or never starts.
 *
 * <p>After each call the view asks the {@link TransactionWatch} whether the call ended the
 * executor's transaction. If it did, the view refuses everything from then on, so that nothing the
 * work does afterwards runs outside the transaction, and the executor learns how it ended.
 */
final class SealedConnection {
  private static final Set<String> SQL_CALLS =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "addBatch",
          "prepareStatement",
          "prepareCall");
  private static final Set<String> REFUSED_CONNECTION_CALLS =
      Set.of("commit", "rollback", "close", "abort", "releaseSavepoint");

  private final String strategy;
  private final Connection raw;
  private final TransactionWatch watch;
  private final Connection view;

  /** Statements and result sets handed to the work, closed at the seal if it forgot them. */
  private final List<AutoCloseable> opened = new ArrayList<>();

  private boolean sealed;
  private boolean changedState;
  private TransactionWatch.Ending ending = TransactionWatch.Ending.NONE;
  private boolean workCommittedSomething;
  private SQLException refusal;
  private Throwable sqliteError;
  private Boolean driverReadsKeys;

  /**
   * @param watch the hooks of the executor's transaction, armed here; null where the executor does
   *     not own a transaction the view must watch (reads, the comparison strategies)
   */
  SealedConnection(String strategy, Connection raw, TransactionWatch watch) {
    this.strategy = strategy;
    this.raw = raw;
    this.watch = watch;
    this.view = (Connection) proxy(Connection.class, raw);
    if (watch != null) {
      watch.arm();
    }
  }

  /** The view to hand to the work. */
  Connection connection() {
    return view;
  }

  /** Ends the view: closes what the work left open and refuses every later call. */
  synchronized void seal() {
    if (sealed) {
      return;
    }
    sealed = true;
    if (watch != null) {
      watch.disarm();
    }
    // Newest first: result sets before the statements they came from.
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception ignored) {
        // Closing what the work forgot; what cannot close now is closed with its connection.
      }
    }
    opened.clear();
  }

  /** How the executor's transaction fared; {@code NONE} while it is open and whole. */
  synchronized TransactionWatch.Ending ending() {
    return ending;
  }

  /**
   * The error for the work's caller when the work itself ended the transaction, with the truth
   * about its own writes; null otherwise.
   */
  synchronized TransactionControlException refusedTransactionEnd() {
    if (ending == TransactionWatch.Ending.NONE
        || ending == TransactionWatch.Ending.ROLLED_BACK_BY_SQLITE) {
      return null;
    }
    return new TransactionControlException(
        ending == TransactionWatch.Ending.COMMITTED_BY_WORK
            ? "ending the executor's transaction with a commit"
            : "rolling back the executor's transaction",
        workCommittedSomething
            ? TransactionControlException.Outcome.COMMITTED_BY_WORK
            : TransactionControlException.Outcome.NOT_COMMITTED);
  }

  /** The error after which SQLite rolled the transaction back itself, when that is how it ended. */
  synchronized Throwable sqliteError() {
    return sqliteError;
  }

  /**
   * True if the work ran SQL that may have changed the connection's state (a PRAGMA, DDL, several
   * statements in one string), so the executor must check that state before trusting it again.
   */
  synchronized boolean changedState() {
    return changedState;
  }

  private Object proxy(Class<?> type, Object target) {
    return proxy(type, new Handler(target));
  }

  private static Object proxy(Class<?> type, Handler handler) {
    return Proxy.newProxyInstance(
        SealedConnection.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  /** Runs one call for the work, inside the seal. */
  private synchronized Object call(Object proxy, Handler handler, Method method, Object[] args)
      throws Throwable {
    Object target = handler.target;
    String name = method.getName();
    if (sealed) {
      if (name.equals("isClosed")) {
        return true;
      }
      if (name.equals("close")) {
        return null;
      }
      throw new ConnectionOutsideWorkException(strategy, describe(target));
    }
    if (refusal != null) {
      throw refusal;
    }
    switch (name) {
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return proxy;
        }
        throw new TransactionControlException("unwrap(" + ((Class<?>) args[0]).getName() + ")");
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy);
      case "getConnection":
        return view;
      case "getGeneratedKeys":
        if (handler.keys != null) {
          return wrap(ResultSet.class, handler.keys);
        }
        break;
      default:
        break;
    }
    if (target == raw && (REFUSED_CONNECTION_CALLS.contains(name) || name.startsWith("set"))) {
      throw new TransactionControlException("Connection." + name + "()");
    }
    if (SQL_CALLS.contains(name) && args != null && args[0] instanceof String) {
      String sql = (String) args[0];
      SqlText.checkTransactionControl(sql);
      changedState |= !SqlText.onlyTouchesRows(sql);
    }
    Object result;
    try {
      result = method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable error = e.getCause();
      afterCall(error);
      throw error;
    }
    afterCall(null);
    boolean asksForKeys = args != null && args.length == 2 && asksForKeys(args[1]);
    if (name.equals("prepareStatement") && asksForKeys) {
      return wrapAskingForKeys(result);
    }
    if (name.startsWith("execute")
        && (asksForKeys || (handler.asksForKeys && (args == null || args.length == 0)))
        && !driverReadsKeys()) {
      handler.keys = lastInsertRowid();
    }
    return wrap(method.getReturnType(), result);
  }

  /** Reads the watch after a call; if the call ended the transaction, nothing more may run. */
  private void afterCall(Throwable callError) throws SQLException {
    if (watch == null || !watch.fired()) {
      return;
    }
    ending = watch.ending(callError);
    if (ending == TransactionWatch.Ending.NONE) {
      // A COMMIT by the work that SQLite refused as busy: the transaction is still the executor's.
      watch.arm();
      throw new TransactionControlException("the statement COMMIT");
    }
    workCommittedSomething =
        ending == TransactionWatch.Ending.COMMITTED_BY_WORK || watch.committedAfterRollback();
    watch.disarm();
    if (ending == TransactionWatch.Ending.ROLLED_BACK_BY_SQLITE) {
      sqliteError = callError;
      refusal =
          new SQLException(
              "SQLite rolled back the transaction after: " + callError.getMessage(), callError);
      return;
    }
    refusal = refusedTransactionEnd();
    if (callError != null) {
      refusal.addSuppressed(callError);
    }
    throw refusal;
  }

  /**
   * JDBC asks for generated keys with {@code RETURN_GENERATED_KEYS} or with column indexes or
   * names.
   */
  private static boolean asksForKeys(Object argument) {
    if (argument instanceof Integer) {
      return (Integer) argument == Statement.RETURN_GENERATED_KEYS;
    }
    return argument instanceof int[] || argument instanceof String[];
  }

  /** A prepared statement whose every execution reads back its generated key. */
  private Object wrapAskingForKeys(Object statement) {
    opened.add((AutoCloseable) statement);
    Handler handler = new Handler(statement);
    handler.asksForKeys = true;
    return proxy(java.sql.PreparedStatement.class, handler);
  }

  /**
   * True where sqlite-jdbc reads keys after every INSERT itself ({@link
   * SqliteSettings.GeneratedKeys#AFTER_EVERY_INSERT}); then its own getGeneratedKeys() answers.
   */
  private boolean driverReadsKeys() throws SQLException {
    if (driverReadsKeys == null) {
      driverReadsKeys =
          raw.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys();
    }
    return driverReadsKeys;
  }

  /** The key of the last INSERT, as sqlite-jdbc itself would read it. */
  private ResultSet lastInsertRowid() throws SQLException {
    Statement statement = raw.createStatement();
    opened.add(statement);
    return statement.executeQuery("SELECT last_insert_rowid()");
  }

  /** Keeps what a call returns inside the seal. */
  private Object wrap(Class<?> declared, Object result) {
    if (result == null || !declared.isInterface() || !declared.getName().startsWith("java.sql.")) {
      return result;
    }
    if (declared == Connection.class) {
      return view;
    }
    if (result instanceof Statement || result instanceof ResultSet) {
      opened.add((AutoCloseable) result);
    }
    return proxy(declared, result);
  }

  private static String describe(Object target) {
    for (Class<?> type : new Class<?>[] {Connection.class, Statement.class}) {
      if (type.isInstance(target)) {
        return "a " + type.getSimpleName();
      }
    }
    Class<?>[] interfaces = target.getClass().getInterfaces();
    return "a " + (interfaces.length > 0 ? interfaces[0].getSimpleName() : "JDBC object");
  }

  private final class Handler implements InvocationHandler {
    private final Object target;

    /** A prepared statement that asked for generated keys when it was prepared. */
    private boolean asksForKeys;

    /** The keys its last execution generated, where the executor reads them on request. */
    private ResultSet keys;

    Handler(Object target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            return "work's view of " + target;
        }
      }
      return call(proxy, this, method, args);
    }
  }
}
