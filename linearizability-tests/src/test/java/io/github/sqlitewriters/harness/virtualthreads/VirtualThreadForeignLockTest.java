package io.github.sqlitewriters.harness.virtualthreads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.ChildProcesses;
import io.github.sqlitewriters.harness.Harness;
import io.github.sqlitewriters.harness.foreignlocks.LockHolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Another process holds the write lock while 500 virtual-thread callers, whose work blocks briefly
 * inside its transaction, wait for it. Waiting for another process's lock must not hold carriers (a
 * wait inside SQLite's busy handler is a native call, which keeps its carrier), so once the lock is
 * released it is taken soon (asserted under 500 ms) and every write commits. Runs where the JVM has
 * virtual threads; the build runs it on the Temurin 25 JDK when its own JDK is older.
 */
class VirtualThreadForeignLockTest {
  private static final int CALLERS = 500;
  private static final long HOLD_MILLIS = 500;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#product")
  void virtualCallersWaitForAnotherProcessWithoutHoldingCarriers(String strategy) throws Exception {
    ExecutorService threads = virtualThreads();
    assumeTrue(threads != null, "this JVM has no virtual threads");
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    AtomicLong firstWork = new AtomicLong(Long.MAX_VALUE);
    long released;
    long finished;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      Process holder =
          ChildProcesses.start(
              LockHolder.class, settings.path().toString(), Long.toString(HOLD_MILLIS));
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("LOCKED", output.readLine());
      List<Future<?>> callers = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        callers.add(
            threads.submit(
                () -> {
                  executor.write(
                      c -> {
                        // Work runs only once the write lock is taken.
                        firstWork.accumulateAndGet(System.nanoTime(), Math::min);
                        insert(c);
                        sleepBriefly();
                        return null;
                      });
                  return null;
                }));
      }
      assertEquals("RELEASED", output.readLine());
      released = System.nanoTime();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
      for (Future<?> caller : callers) {
        caller.get(60, TimeUnit.SECONDS);
      }
      finished = System.nanoTime();
    } finally {
      threads.shutdownNow();
    }
    long handoffMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, firstWork.get() - released));
    long totalMillis = TimeUnit.NANOSECONDS.toMillis(finished - released);
    Harness.report(
        String.format(
            "virtual-threads foreign-lock %s: %d virtual callers waited for another process's"
                + " lock (%d ms); lock taken %d ms after its release, all %d committed in %d ms",
            strategy, CALLERS, HOLD_MILLIS, handoffMillis, CALLERS, totalMillis));
    assertEquals(CALLERS, Harness.queryLong(settings.path(), "SELECT count(*) FROM t"));
    assertTrue(handoffMillis < 500, "lock taken " + handoffMillis + " ms after release");
  }

  private static void insert(java.sql.Connection c) throws SQLException {
    try (Statement statement = c.createStatement()) {
      statement.executeUpdate("INSERT INTO t(v) VALUES ('virtual')");
    }
  }

  /** Blocks inside the transaction, as any I/O or lock in real work would. */
  private static void sleepBriefly() throws SQLException {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }

  /** A virtual-thread-per-task executor, or null before JDK 21 (the build's baseline is 17). */
  private static ExecutorService virtualThreads() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
