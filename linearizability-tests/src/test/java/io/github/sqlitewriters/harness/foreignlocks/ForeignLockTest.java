package io.github.sqlitewriters.harness.foreignlocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.ChildProcesses;
import io.github.sqlitewriters.harness.Harness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Another process holds the write lock for longer than the busy timeout. The product strategies
 * must fail each affected caller with SqliteBusyException at its deadline (never hang), commit
 * nothing partial, and serve again once the lock is gone.
 */
class ForeignLockTest {
  private static final Duration BUSY_TIMEOUT = Duration.ofMillis(200);
  private static final Duration DEADLINE = Duration.ofMillis(1_000);
  private static final long HOLD_MILLIS = 3_000;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#product")
  void callersFailAtTheirDeadlineAndServiceResumes(String strategy) throws Exception {
    SqliteSettings settings =
        SqliteSettings.builder(dir.resolve("locked.db")).busyTimeout(BUSY_TIMEOUT).build();
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    ExecutorOptions options = ExecutorOptions.builder().busyDeadline(DEADLINE).build();
    try (WriteExecutor executor = Strategies.open(strategy, settings, options)) {
      executor.write(c -> insert(c, "before"));
      Process holder =
          ChildProcesses.start(
              LockHolder.class, settings.path().toString(), Long.toString(HOLD_MILLIS));
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("LOCKED", output.readLine());

      long start = System.nanoTime();
      List<CompletableFuture<Integer>> blocked = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        blocked.add(
            executor.submit(
                c -> {
                  insert(c, "first half");
                  return insert(c, "second half");
                }));
      }
      int busy = 0;
      for (CompletableFuture<Integer> future : blocked) {
        ExecutionException failure =
            org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        assertTrue(
            failure.getCause() instanceof SqliteBusyException, String.valueOf(failure.getCause()));
        busy++;
      }
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          waitedMillis < HOLD_MILLIS,
          "gave up before the lock was released: " + waitedMillis + " ms");
      assertTrue(
          waitedMillis >= DEADLINE.toMillis() - 100,
          "waited for the deadline: " + waitedMillis + " ms");

      assertEquals("RELEASED", output.readLine());
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
      executor.write(c -> insert(c, "after"));
      long rows = Harness.queryLong(settings.path(), "SELECT count(*) FROM t");
      long halves =
          Harness.queryLong(settings.path(), "SELECT count(*) FROM t WHERE v LIKE '%half'");
      Harness.report(
          String.format(
              "foreign-lock %s: %d callers failed with SqliteBusyException after %d ms (deadline"
                  + " %d ms, lock held %d ms); %d partial rows; served again after release",
              strategy, busy, waitedMillis, DEADLINE.toMillis(), HOLD_MILLIS, halves));
      assertEquals(0, halves, "nothing of the failed work was committed");
      assertEquals(2, rows, "the writes before and after the lock");
    }
  }

  private static int insert(java.sql.Connection c, String value) throws java.sql.SQLException {
    try (Statement statement = c.createStatement()) {
      return statement.executeUpdate("INSERT INTO t(v) VALUES ('" + value + "')");
    }
  }
}
