package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConnection;

/**
 * Generated keys on request: the product strategies read them only for statements that ask (JDBC's
 * {@code RETURN_GENERATED_KEYS} or column names), and serve them correctly then; sqlite-jdbc's
 * default reads them after every INSERT, asked for or not.
 */
class GeneratedKeysTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void keysAreServedWhenTheWorkAsksForThem(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(TestDb.insert(1));
      long prepared =
          executor.write(
              c -> {
                try (PreparedStatement insert =
                    c.prepareStatement(
                        "INSERT INTO t(k, v) VALUES (?, 'x')", Statement.RETURN_GENERATED_KEYS)) {
                  insert.setLong(1, 2);
                  insert.executeUpdate();
                  return firstKey(insert.getGeneratedKeys());
                }
              });
      long byName =
          executor.write(
              c -> {
                try (PreparedStatement insert =
                    c.prepareStatement(
                        "INSERT INTO t(k, v) VALUES (3, 'x')", new String[] {"id"})) {
                  insert.executeUpdate();
                  return firstKey(insert.getGeneratedKeys());
                }
              });
      long statement =
          executor.write(
              c -> {
                try (Statement insert = c.createStatement()) {
                  insert.executeUpdate(
                      "INSERT INTO t(k, v) VALUES (4, 'x')", Statement.RETURN_GENERATED_KEYS);
                  return firstKey(insert.getGeneratedKeys());
                }
              });
      assertEquals(idOf(settings, 2), prepared);
      assertEquals(idOf(settings, 3), byName);
      assertEquals(idOf(settings, 4), statement);
    }
  }

  /**
   * A statement that asked for keys reports only the row it inserted itself: none for an UPDATE or
   * an INSERT that was ignored (never the key of an earlier INSERT), and its own key even after
   * another statement inserted a row. The same rule as the DataSource's, read one way for both.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void keysAreOnlyThoseTheStatementItselfInserted(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      String outcome =
          executor.write(
              c -> {
                try (PreparedStatement first =
                        c.prepareStatement(
                            "INSERT INTO t(k, v) VALUES (?, 'x')",
                            Statement.RETURN_GENERATED_KEYS);
                    PreparedStatement second =
                        c.prepareStatement(
                            "INSERT INTO t(k, v) VALUES (?, 'y')", new String[] {"id"});
                    PreparedStatement update =
                        c.prepareStatement(
                            "UPDATE t SET v = 'z' WHERE k = 10", Statement.RETURN_GENERATED_KEYS);
                    PreparedStatement ignored =
                        c.prepareStatement(
                            "INSERT OR IGNORE INTO t(id, k, v) SELECT id, k, v FROM t WHERE k = 10",
                            Statement.RETURN_GENERATED_KEYS)) {
                  first.setLong(1, 10);
                  first.executeUpdate();
                  second.setLong(1, 11);
                  second.executeUpdate();
                  update.executeUpdate();
                  ignored.executeUpdate();
                  return firstKey(first.getGeneratedKeys())
                      + " "
                      + firstKey(second.getGeneratedKeys())
                      + " "
                      + update.getGeneratedKeys().next()
                      + " "
                      + ignored.getGeneratedKeys().next();
                }
              });
      assertEquals(idOf(settings, 10) + " " + idOf(settings, 11) + " false false", outcome);
    }
  }

  /**
   * Each getGeneratedKeys() is a result set of its own: two statements' keys read side by side; a
   * failed execution reports no key (not its previous one's); an INSERT behind a WITH clause or
   * with RETURNING has its key.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void keysOfSeveralStatementsAndOfUnusualInserts(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      String outcome =
          executor.write(
              c -> {
                try (PreparedStatement a =
                        c.prepareStatement(
                            "INSERT INTO t(k, v) VALUES (?, 'a')",
                            Statement.RETURN_GENERATED_KEYS);
                    PreparedStatement b =
                        c.prepareStatement(
                            "INSERT INTO t(k, v) VALUES (?, 'b')",
                            Statement.RETURN_GENERATED_KEYS);
                    Statement plain = c.createStatement()) {
                  a.setLong(1, 20);
                  a.executeUpdate();
                  b.setLong(1, 21);
                  b.executeUpdate();
                  ResultSet keysOfA = a.getGeneratedKeys();
                  ResultSet keysOfB = b.getGeneratedKeys();
                  String both = firstKey(keysOfA) + " " + firstKey(keysOfB);
                  a.setLong(1, 21); // breaks UNIQUE(k): no row, so no key
                  try {
                    a.executeUpdate();
                  } catch (SQLException expected) {
                    // The UNIQUE constraint.
                  }
                  boolean afterFailure = a.getGeneratedKeys().next();
                  plain.executeUpdate(
                      "WITH n(k) AS (SELECT 22) INSERT INTO t(k, v) SELECT k, 'c' FROM n",
                      Statement.RETURN_GENERATED_KEYS);
                  long withKey = firstKey(plain.getGeneratedKeys());
                  plain.execute(
                      "INSERT INTO t(k, v) VALUES (23, 'd') RETURNING id",
                      Statement.RETURN_GENERATED_KEYS);
                  try (ResultSet returned = plain.getResultSet()) {
                    returned.next();
                  }
                  long returningKey = firstKey(plain.getGeneratedKeys());
                  return both + " " + afterFailure + " " + withKey + " " + returningKey;
                }
              });
      assertEquals(
          idOf(settings, 20)
              + " "
              + idOf(settings, 21)
              + " false "
              + idOf(settings, 22)
              + " "
              + idOf(settings, 23),
          outcome);
    }
  }

  /** Unasked, the product strategies run no key query; the comparison ones keep the driver's. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void unaskedKeysFollowTheStrategysDefault(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      boolean keysRead =
          executor.write(
              c -> {
                try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO t(k, v) VALUES (5, 'x')")) {
                  insert.executeUpdate();
                  try (ResultSet keys = insert.getGeneratedKeys()) {
                    return keys.next();
                  }
                }
              });
      assertEquals(!TestDb.PRODUCT.contains(strategy), keysRead, strategy);
    }
  }

  @Test
  void theSettingIsAppliedAndReadBack() throws Exception {
    SqliteSettings unset = TestDb.settings(dir);
    SqliteSettings onRequest =
        unset.toBuilder().generatedKeys(SqliteSettings.GeneratedKeys.ON_REQUEST).build();
    assertEquals(Optional.empty(), unset.generatedKeys());
    assertEquals(Optional.of(SqliteSettings.GeneratedKeys.ON_REQUEST), onRequest.generatedKeys());
    assertNotEquals(unset, onRequest);
    assertTrue(onRequest.toString().contains("ON_REQUEST"), onRequest.toString());
    assertEquals(onRequest, onRequest.toBuilder().build());
    try (Connection driverDefault = unset.openConnection();
        Connection asked = onRequest.openConnection()) {
      assertTrue(keysAfterEveryInsert(driverDefault));
      assertFalse(keysAfterEveryInsert(asked));
    }
  }

  private static boolean keysAfterEveryInsert(Connection connection) throws SQLException {
    return connection.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys();
  }

  private static long firstKey(ResultSet keys) throws SQLException {
    try (keys) {
      assertTrue(keys.next(), "a generated key");
      return keys.getLong(1);
    }
  }

  private static long idOf(SqliteSettings settings, long k) throws SQLException {
    return TestDb.queryLong(settings.path(), "SELECT id FROM t WHERE k = " + k);
  }
}
