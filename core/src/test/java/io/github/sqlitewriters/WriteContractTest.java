package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link WriteExecutor} contract, checked on a real file for every strategy. */
class WriteContractTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void writeIsCommittedBeforeItReturns(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      assertEquals(strategy, executor.name());
      for (long k = 1; k <= 20; k++) {
        assertEquals(k, executor.write(TestDb.insert(k)));
        assertTrue(TestDb.hasKey(settings, k), "row " + k + " visible to another connection");
      }
      assertEquals(20, executor.stats().transactionsCommitted());
      assertEquals(20, executor.stats().tasksCommitted());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void submitCompletesOnlyAfterCommit(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      for (long k = 1; k <= 20; k++) {
        CompletableFuture<Long> future = executor.submit(TestDb.insert(k));
        assertEquals(k, future.get(10, TimeUnit.SECONDS));
        assertTrue(TestDb.hasKey(settings, k), "row " + k + " visible once its future completed");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void workThatThrowsIsRolledBackAndItsExceptionRethrown(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      SQLException sqlFailure = new SQLException("work failed");
      RuntimeException runtimeFailure = new IllegalArgumentException("bad argument");
      AssertionError errorFailure = new AssertionError("an Error in work");

      assertSame(
          sqlFailure,
          assertThrows(SQLException.class, () -> executor.write(failAfterInsert(1, sqlFailure))));
      assertSame(
          runtimeFailure,
          assertThrows(
              RuntimeException.class, () -> executor.write(failAfterInsert(2, runtimeFailure))));
      assertSame(
          errorFailure,
          assertThrows(
              AssertionError.class, () -> executor.write(failAfterInsert(3, errorFailure))));
      ExecutionException async =
          assertThrows(
              ExecutionException.class,
              () -> executor.submit(failAfterInsert(4, sqlFailure)).get());
      assertSame(sqlFailure, async.getCause());

      assertEquals(0, TestDb.count(settings), "no row of a failed work survives");
      executor.write(TestDb.insert(5));
      assertEquals(1, TestDb.count(settings), "the executor keeps serving after failures");
      assertEquals(4, executor.stats().tasksFailed());
      assertEquals(4, executor.stats().transactionsRolledBack());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void workCannotEndTheTransactionItself(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      for (String sql :
          new String[] {"COMMIT", "  rollback", "END TRANSACTION", "/* hi */ BEGIN IMMEDIATE"}) {
        assertThrows(
            TransactionControlException.class,
            () ->
                executor.write(
                    c -> {
                      TestDb.insert(10).run(c);
                      try (Statement statement = c.createStatement()) {
                        return statement.execute(sql);
                      }
                    }),
            sql);
      }
      assertThrows(
          TransactionControlException.class,
          () -> executor.write(c -> c.prepareStatement("commit")));
      assertThrows(
          TransactionControlException.class,
          () ->
              executor.write(
                  c -> {
                    c.commit();
                    return null;
                  }));
      assertThrows(
          TransactionControlException.class,
          () ->
              executor.write(
                  c -> {
                    c.setAutoCommit(true);
                    return null;
                  }));
      assertThrows(
          TransactionControlException.class,
          () ->
              executor.write(
                  c -> {
                    c.close();
                    return null;
                  }));
      assertEquals(0, TestDb.count(settings), "refused work is rolled back");

      // Savepoints nest inside the executor's transaction and stay allowed.
      executor.write(
          c -> {
            try (Statement statement = c.createStatement()) {
              statement.execute("SAVEPOINT mine");
              TestDb.insert(11).run(c);
              statement.execute("ROLLBACK TO mine");
              statement.execute("RELEASE mine");
            }
            return TestDb.insert(12).run(c);
          });
      assertFalse(TestDb.hasKey(settings, 11));
      assertTrue(TestDb.hasKey(settings, 12));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void readSeesCommittedRowsAndRefusesWrites(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(TestDb.insert(1));
      long seen = executor.read(c -> countRows(c));
      assertEquals(1, seen);
      WriteInReadException refused =
          assertThrows(WriteInReadException.class, () -> executor.read(TestDb.insert(2)));
      assertTrue(refused.getMessage().contains(strategy), refused.getMessage());
      assertFalse(TestDb.hasKey(settings, 2));
      assertEquals(1L, (long) executor.read(c -> countRows(c)), "the reader keeps serving");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void closedExecutorRefusesWorkClearly(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    WriteExecutor executor = Strategies.open(strategy, settings);
    executor.write(TestDb.insert(1));
    executor.close();
    executor.close();
    IllegalStateException write =
        assertThrows(IllegalStateException.class, () -> executor.write(TestDb.insert(2)));
    assertTrue(write.getMessage().contains(strategy) && write.getMessage().contains("closed"));
    ExecutionException submit =
        assertThrows(ExecutionException.class, () -> executor.submit(TestDb.insert(3)).get());
    assertTrue(submit.getCause() instanceof IllegalStateException);
    assertThrows(IllegalStateException.class, () -> executor.read(c -> 1));
    assertEquals(1, TestDb.count(settings));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void nullWorkIsRefusedByName(String strategy) throws Exception {
    try (WriteExecutor executor = Strategies.open(strategy, TestDb.tableIn(dir))) {
      assertEquals(
          "work",
          assertThrows(NullPointerException.class, () -> executor.write(null)).getMessage());
      assertEquals(
          "work",
          assertThrows(NullPointerException.class, () -> executor.submit(null)).getMessage());
      assertEquals(
          "work", assertThrows(NullPointerException.class, () -> executor.read(null)).getMessage());
    }
  }

  private static long countRows(java.sql.Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SELECT count(*) FROM t")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static <T extends Throwable> SqlWork<Object> failAfterInsert(long k, T failure) {
    return connection -> {
      TestDb.insert(k).run(connection);
      throwUnchecked(failure);
      return null;
    };
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void throwUnchecked(Throwable failure) throws E {
    throw (E) failure;
  }
}
