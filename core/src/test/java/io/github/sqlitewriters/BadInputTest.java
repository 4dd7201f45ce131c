package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Failures a user can cause: each gets a clear, typed error, and no other caller loses anything.
 */
class BadInputTest {
  @TempDir Path dir;

  /**
   * A syntax error and a constraint violation fail their own caller and nobody else. Not run on
   * deferred-no-timeout, which fails concurrent writers with SQLITE_BUSY by design.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#allButNoTimeout")
  void badSqlFailsOnlyItsOwnCaller(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(TestDb.insert(1));
      List<CompletableFuture<?>> good = new ArrayList<>();
      List<CompletableFuture<?>> bad = new ArrayList<>();
      for (long k = 10; k < 40; k++) {
        good.add(executor.submit(TestDb.insert(k)));
        if (k % 10 == 0) {
          String truncated = "INSERT INTO t(k, v) VALUES (" + k + ", ";
          bad.add(executor.submit(c -> TestDb.execute(c, truncated)));
          bad.add(executor.submit(c -> TestDb.insert(1).run(c)));
        }
      }
      for (CompletableFuture<?> future : good) {
        future.get(30, TimeUnit.SECONDS);
      }
      for (CompletableFuture<?> future : bad) {
        ExecutionException failure = assertThrows(ExecutionException.class, future::get);
        SQLiteException cause = assertInstanceOf(SQLiteException.class, failure.getCause());
        assertTrue(
            cause.getResultCode() == SQLiteErrorCode.SQLITE_ERROR
                || cause.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE,
            cause.getMessage());
      }
      assertEquals(31, TestDb.count(settings), "every good write, none of the bad ones");
    }
  }

  /**
   * max_page_count makes the database full: the caller hitting SQLITE_FULL gets it, earlier writes
   * stay, the executor keeps serving, and writes succeed again once rows are deleted.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void fullDatabaseFailsTheWriteThatDoesNotFitAndRecovers(String strategy) throws Exception {
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("full.db")).pragma("max_page_count", "40").build());
    String big = "x".repeat(2000);
    long acknowledged = 0;
    SQLException full = null;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      for (long k = 1; k <= 500 && full == null; k++) {
        long key = k;
        try {
          executor.write(
              c -> TestDb.execute(c, "INSERT INTO t(k, v) VALUES (" + key + ", '" + big + "')"));
          acknowledged++;
        } catch (SQLException e) {
          full = e;
        }
      }
      assertTrue(full != null, "the database filled up");
      assertEquals(
          SQLiteErrorCode.SQLITE_FULL.code & 0xff, full.getErrorCode() & 0xff, full.getMessage());
      assertTrue(full.getMessage().contains("full"), full.getMessage());
      assertEquals(acknowledged, TestDb.count(settings), "every acknowledged write is still there");
      assertEquals(acknowledged, (long) executor.read(c -> queryCount(c)), "reads still work");

      executor.write(c -> TestDb.execute(c, "DELETE FROM t WHERE k <= 5"));
      executor.write(c -> TestDb.execute(c, "INSERT INTO t(k, v) VALUES (100000, '" + big + "')"));
      assertTrue(TestDb.hasKey(settings, 100000), "writes succeed again once room is made");
    }
  }

  /**
   * The file is deleted, or replaced by another, under a running executor. SQLite goes on writing
   * into the file it opened, so a write would be acknowledged and then lost. The product strategies
   * check the file inside every write transaction and refuse with {@link
   * DatabaseFileMovedException}; the comparison strategies, like the applications they stand for,
   * acknowledge writes that are in no file at the path, and the test shows that too.
   */
  @ParameterizedTest(name = "{0} replaced={1}")
  @MethodSource("io.github.sqlitewriters.TestDb#allWithReplacement")
  void fileDeletedOrReplacedUnderARunningExecutor(String strategy, boolean replace)
      throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    boolean product = Strategies.kind(strategy) == Strategies.Kind.PRODUCT;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(TestDb.insert(1));
      if (replace) {
        SqliteSettings other = TestDb.tableIn(Files.createDirectory(dir.resolve("other")));
        Files.move(other.path(), settings.path(), StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.delete(settings.path());
      }
      if (product) {
        DatabaseFileMovedException moved =
            assertThrows(DatabaseFileMovedException.class, () -> executor.write(TestDb.insert(2)));
        assertEquals(settings.path(), moved.path());
        assertTrue(moved.getMessage().contains(settings.path().toString()), moved.getMessage());
        assertThrows(
            DatabaseFileMovedException.class, () -> executor.write(TestDb.insert(3)), "and again");
      } else {
        // Acknowledged, though the file it went to is no longer at the path. In WAL mode the
        // frames even land in the -wal file beside the replacement, which SQLite then reads as
        // part of a database they never belonged to.
        assertEquals(2L, executor.write(TestDb.insert(2)));
      }
    }
    if (product) {
      boolean inFileAtPath = Files.exists(settings.path()) && TestDb.hasKey(settings, 2);
      assertFalse(inFileAtPath, "no write reached the file now at the path");
    }
  }

  /**
   * A file whose pages are damaged: the first access reports SQLITE_CORRUPT, typed, and nothing
   * hangs.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void corruptFileFailsClearly(String strategy) throws Exception {
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("corrupt.db"))
                .journalMode(SqliteSettings.JournalMode.DELETE)
                .build());
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      for (long k = 1; k <= 300; k++) {
        executor.write(TestDb.insert(k));
      }
    }
    try (RandomAccessFile file = new RandomAccessFile(settings.path().toFile(), "rw")) {
      byte[] garbage = new byte[4096];
      java.util.Arrays.fill(garbage, (byte) 0x5a);
      file.seek(4096);
      file.write(garbage);
    }
    SQLException error;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      error = assertThrows(SQLException.class, () -> executor.write(TestDb.insert(1000)));
      assertThrows(SQLException.class, () -> executor.read(c -> sumOfLengths(c)));
    } catch (SqliteOpenException atOpen) {
      error = atOpen;
    }
    String message = error.getMessage() + " " + error.getCause();
    assertTrue(
        message.contains("malformed")
            || message.contains("CORRUPT")
            || message.contains("not a database"),
        message);
  }

  /** Scans the table itself, not its index, so a damaged table page is read. */
  private static long sumOfLengths(java.sql.Connection c) throws SQLException {
    try (Statement statement = c.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SELECT sum(length(v)) FROM t")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static long queryCount(java.sql.Connection c) throws SQLException {
    try (Statement statement = c.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SELECT count(*) FROM t")) {
      result.next();
      return result.getLong(1);
    }
  }
}
