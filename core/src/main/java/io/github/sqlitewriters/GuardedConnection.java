package io.github.sqlitewriters;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

/**
 * The connection that work sees: the executor's own, minus every way of ending the transaction.
 *
 * <p>Under {@code group-commit} one transaction holds many callers' work, so a task that ran COMMIT
 * would commit other callers' half-done work and one that ran ROLLBACK would silently drop it. The
 * guard refuses those calls and statements before they reach SQLite, with a {@link
 * TransactionControlException}; every strategy uses it, so all of them refuse the same things.
 * {@code unwrap} still reaches the driver for work that needs sqlite-jdbc's own API.
 */
final class GuardedConnection {
  private static final Set<String> REFUSED_CONNECTION_CALLS =
      Set.of(
          "commit",
          "rollback",
          "setAutoCommit",
          "close",
          "abort",
          "setSavepoint",
          "releaseSavepoint",
          "setTransactionIsolation");
  private static final Set<String> STATEMENT_SQL_CALLS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");

  private GuardedConnection() {}

  static Connection wrap(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            GuardedConnection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionGuard(connection));
  }

  /**
   * Refuses SQL whose first word would begin or end the transaction. ROLLBACK TO (a savepoint) is
   * fine; SAVEPOINT and RELEASE nest inside the executor's transaction and are fine too.
   */
  static void checkSql(String sql) throws TransactionControlException {
    if (sql == null) {
      return;
    }
    String[] words = leadingWords(sql, 3);
    String first = words[0];
    if (first.equals("BEGIN") || first.equals("COMMIT") || first.equals("END")) {
      throw new TransactionControlException("the statement " + first);
    }
    if (first.equals("ROLLBACK")) {
      String next = words[1].equals("TRANSACTION") ? words[2] : words[1];
      if (!next.equals("TO")) {
        throw new TransactionControlException("the statement ROLLBACK");
      }
    }
  }

  /** The first {@code count} words of the SQL, upper case, skipping blanks and comments. */
  private static String[] leadingWords(String sql, int count) {
    String[] words = new String[count];
    int i = 0;
    int n = sql.length();
    for (int w = 0; w < count; w++) {
      while (i < n) {
        if (Character.isWhitespace(sql.charAt(i))) {
          i++;
        } else if (sql.startsWith("--", i)) {
          int end = sql.indexOf('\n', i);
          i = end < 0 ? n : end + 1;
        } else if (sql.startsWith("/*", i)) {
          int end = sql.indexOf("*/", i + 2);
          i = end < 0 ? n : end + 2;
        } else {
          break;
        }
      }
      int start = i;
      while (i < n && Character.isLetter(sql.charAt(i))) {
        i++;
      }
      words[w] = sql.substring(start, i).toUpperCase(Locale.ROOT);
      if (i == start && i < n) {
        i++;
      }
    }
    return words;
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static final class ConnectionGuard implements InvocationHandler {
    private final Connection connection;

    ConnectionGuard(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (REFUSED_CONNECTION_CALLS.contains(name)) {
        throw new TransactionControlException("Connection." + name + "()");
      }
      switch (name) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "guarded " + connection;
        case "prepareStatement":
        case "prepareCall":
          // Prepared statements carry their SQL from creation, so checking it here is enough.
          checkSql((String) args[0]);
          return call(connection, method, args);
        case "createStatement":
          Statement statement = (Statement) call(connection, method, args);
          return Proxy.newProxyInstance(
              GuardedConnection.class.getClassLoader(),
              new Class<?>[] {Statement.class},
              new StatementGuard(statement, (Connection) proxy));
        default:
          return call(connection, method, args);
      }
    }
  }

  private static final class StatementGuard implements InvocationHandler {
    private final Statement statement;
    private final Connection guardedConnection;

    StatementGuard(Statement statement, Connection guardedConnection) {
      this.statement = statement;
      this.guardedConnection = guardedConnection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (STATEMENT_SQL_CALLS.contains(name) && args != null && args[0] instanceof String) {
        checkSql((String) args[0]);
      }
      switch (name) {
        case "getConnection":
          return guardedConnection;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return call(statement, method, args);
      }
    }
  }
}
