package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.internal.connection.StatementCache;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The product strategies lend a work the prepared statement an earlier work prepared with the same
 * SQL: reset, with its parameters cleared, never to two holders at once, never after the work that
 * kept it returned, and still right after the schema changed.
 */
class StatementCacheTest {
  private static final String INSERT = "INSERT INTO t(k, v) VALUES (?, ?)";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aStatementIsReusedWithItsParametersCleared(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(c -> insert(c, 1, "first"));
      long reusedBefore = executor.stats().statementsReused();
      // Binds only k: v must be NULL, not the value the earlier work bound.
      executor.write(
          c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
              insert.setLong(1, 2);
              return insert.executeUpdate();
            }
          });
      assertEquals(reusedBefore + 1, executor.stats().statementsReused(), "the second one reused");
      assertEquals(1, TestDb.queryLong(settings.path(), "SELECT count(*) FROM t WHERE k = 2"));
      assertEquals(
          0,
          TestDb.queryLong(
              settings.path(), "SELECT count(*) FROM t WHERE k = 2 AND v IS NOT NULL"));
      // Two holders in one work get two statements.
      executor.write(
          c -> {
            try (PreparedStatement a = c.prepareStatement(INSERT);
                PreparedStatement b = c.prepareStatement(INSERT)) {
              a.setLong(1, 3);
              b.setLong(1, 4);
              a.setString(2, "a");
              b.setString(2, "b");
              return a.executeUpdate() + b.executeUpdate();
            }
          });
      assertTrue(TestDb.hasKey(settings, 3) && TestDb.hasKey(settings, 4));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aStatementKeptAfterItsWorkIsRefusedAndTheCacheStaysRight(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    AtomicReference<PreparedStatement> kept = new AtomicReference<>();
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(
          c -> {
            PreparedStatement insert = c.prepareStatement(INSERT);
            kept.set(insert);
            insert.setLong(1, 1);
            insert.setString(2, "x");
            return insert.executeUpdate();
          });
      executor.write(c -> insert(c, 2, "y"));
      assertThrows(
          ConnectionOutsideWorkException.class,
          () -> {
            kept.get().setLong(1, 3);
            kept.get().executeUpdate();
          });
      executor.write(c -> insert(c, 4, "z"));
      assertEquals(3, TestDb.count(settings));
      assertTrue(!TestDb.hasKey(settings, 3));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aCachedStatementFollowsSchemaChanges(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    String insertU = "INSERT INTO u(a) VALUES (?)";
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(c -> TestDb.execute(c, "CREATE TABLE u(a)"));
      executor.write(c -> insertU(c, insertU, 1));
      // The table is replaced by one with another shape: the cached statement is prepared again.
      executor.write(c -> TestDb.execute(c, "DROP TABLE u"));
      executor.write(c -> TestDb.execute(c, "CREATE TABLE u(z, a)"));
      executor.write(c -> insertU(c, insertU, 2));
      assertEquals(2, TestDb.queryLong(settings.path(), "SELECT a FROM u"));
      // Gone: a clear error, and the statement is not lent again once the table is back.
      executor.write(c -> TestDb.execute(c, "DROP TABLE u"));
      SQLException missing =
          assertThrows(SQLException.class, () -> executor.write(c -> insertU(c, insertU, 3)));
      assertTrue(missing.getMessage().contains("no such table"), missing.getMessage());
      executor.write(c -> TestDb.execute(c, "CREATE TABLE u(a)"));
      executor.write(c -> insertU(c, insertU, 4));
      assertEquals(4, TestDb.queryLong(settings.path(), "SELECT a FROM u"));
      MisusedConnectionTest.assertKeepsServing(executor, settings);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aStatementInUseOutlivesTheCacheFillingUp(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(c -> insert(c, 1, "cached"));
      // The work holds the cached INSERT while more statements than the cache keeps come and go:
      // the one it holds must stay open, and must not be lent to anyone else meanwhile.
      executor.write(
          c -> {
            try (PreparedStatement held = c.prepareStatement(INSERT)) {
              for (int i = 0; i < StatementCache.CAPACITY + 8; i++) {
                try (PreparedStatement other =
                    c.prepareStatement("SELECT count(*) + " + i + " FROM t")) {
                  other.executeQuery().close();
                }
              }
              insert(c, 2, "second holder");
              held.setLong(1, 3);
              held.setString(2, "held");
              return held.executeUpdate();
            }
          });
      executor.write(c -> insert(c, 4, "after"));
      assertEquals(4, TestDb.count(settings));
      MisusedConnectionTest.assertKeepsServing(executor, settings);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aStatementWhoseSettingsChangedIsNotLentAgain(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(
          c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
              insert.setQueryTimeout(7);
              insert.setLong(1, 1);
              return insert.executeUpdate();
            }
          });
      long reusedBefore = executor.stats().statementsReused();
      int timeout =
          executor.write(
              c -> {
                try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                  insert.setLong(1, 2);
                  insert.executeUpdate();
                  return insert.getQueryTimeout();
                }
              });
      assertEquals(0, timeout, "the earlier work's setting outlived it");
      assertEquals(reusedBefore, executor.stats().statementsReused(), "a fresh statement");
      assertEquals(2, TestDb.count(settings));
    }
  }

  /**
   * Every method of a statement the work kept is refused once the work returned, default methods of
   * the interface included, except close() (a no-op) and isClosed() (true): each one that reached
   * the driver would run outside the work's transaction.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void everyMethodOfAKeptStatementIsRefused(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    AtomicReference<PreparedStatement> kept = new AtomicReference<>();
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(c -> insert(c, 1, "cached"));
      executor.write(
          c -> {
            kept.set(c.prepareStatement(INSERT));
            return null;
          });
      for (Method method : PreparedStatement.class.getMethods()) {
        if (Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        Object[] arguments = new Object[method.getParameterCount()];
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < arguments.length; i++) {
          arguments[i] = defaultFor(types[i]);
        }
        String name = method.getName();
        if (name.equals("close")) {
          method.invoke(kept.get(), arguments);
        } else if (name.equals("isClosed")) {
          assertEquals(true, method.invoke(kept.get(), arguments));
        } else {
          InvocationTargetException thrown =
              assertThrows(
                  InvocationTargetException.class,
                  () -> method.invoke(kept.get(), arguments),
                  method.toString());
          assertInstanceOf(
              ConnectionOutsideWorkException.class, thrown.getCause(), method.toString());
        }
      }
      executor.write(c -> insert(c, 2, "after"));
      assertEquals(2, TestDb.count(settings));
      MisusedConnectionTest.assertKeepsServing(executor, settings);
    }
  }

  /**
   * A kept statement's toString() does not read the driver's statement, which by then is lent to
   * another caller: sqlite-jdbc's would print that caller's SQL and bound parameters.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aKeptStatementShowsNothingOfTheNextHolder(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    AtomicReference<PreparedStatement> kept = new AtomicReference<>();
    AtomicReference<String> seen = new AtomicReference<>();
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(
          c -> {
            PreparedStatement insert = c.prepareStatement(INSERT);
            kept.set(insert);
            insert.setLong(1, 1);
            insert.setString(2, "first");
            return insert.executeUpdate();
          });
      executor.write(
          c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
              insert.setLong(1, 2);
              insert.setString(2, "SECRET of the next holder");
              seen.set(kept.get().toString());
              return insert.executeUpdate();
            }
          });
      assertTrue(!seen.get().contains("SECRET"), seen.get());
      assertTrue(!seen.get().contains("INSERT"), seen.get());
    }
  }

  private static Object defaultFor(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == char.class) {
      return 'x';
    }
    // One case each: a conditional expression would promote them all to double.
    if (type == long.class) {
      return 1L;
    }
    if (type == double.class) {
      return 1.0;
    }
    if (type == float.class) {
      return 1f;
    }
    if (type == short.class) {
      return (short) 1;
    }
    if (type == byte.class) {
      return (byte) 1;
    }
    if (type == int.class) {
      return 1;
    }
    if (type == String.class) {
      return "SELECT 1";
    }
    if (type == Class.class) {
      return PreparedStatement.class;
    }
    return null;
  }

  private static int insert(java.sql.Connection c, long k, String v) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setLong(1, k);
      insert.setString(2, v);
      return insert.executeUpdate();
    }
  }

  private static int insertU(java.sql.Connection c, String sql, long a) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      insert.setLong(1, a);
      return insert.executeUpdate();
    }
  }
}
