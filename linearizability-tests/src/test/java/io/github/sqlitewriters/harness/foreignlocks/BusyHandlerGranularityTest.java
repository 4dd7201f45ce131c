package io.github.sqlitewriters.harness.foreignlocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A regression test for busy handlers that sleep in whole seconds (SQLite built without
 * HAVE_USLEEP, as RSQLite once was): another connection holds the write lock for 50 ms, and a
 * writer waiting through each safe strategy must get it well under a second after the release.
 * SQLite's own handler sleeps 1, 2, 5, 10 ... 100 ms, so a correct build hands over in tens of
 * milliseconds.
 */
class BusyHandlerGranularityTest {
  @TempDir Path dir;

  static java.util.stream.Stream<String> safe() {
    return Harness.strategies().filter(Harness.SAFE_IN_PROCESS::contains);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("safe")
  void waitingWriterGetsTheLockSoonAfterItIsReleased(String strategy) throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    try (WriteExecutor executor = Strategies.open(strategy, settings);
        Connection holder = DriverManager.getConnection("jdbc:sqlite:" + settings.path());
        Statement hold = holder.createStatement()) {
      hold.execute("BEGIN IMMEDIATE");
      hold.execute("INSERT INTO t(v) VALUES ('holder')");
      CompletableFuture<Long> waiting =
          executor.submit(
              c -> {
                try (Statement insert = c.createStatement()) {
                  insert.executeUpdate("INSERT INTO t(v) VALUES ('waiter')");
                }
                return System.nanoTime();
              });
      Thread.sleep(50);
      assertFalse(waiting.isDone(), "the writer waited for the lock");
      long released = System.nanoTime();
      hold.execute("COMMIT");
      long acquired = waiting.get(10, TimeUnit.SECONDS);
      long handoffMillis = TimeUnit.NANOSECONDS.toMillis(acquired - released);
      Harness.report(
          "busy-handoff " + strategy + ": lock taken " + handoffMillis + " ms after release");
      assertTrue(handoffMillis < 500, "took the lock " + handoffMillis + " ms after its release");
      assertEquals(2, Harness.queryLong(settings.path(), "SELECT count(*) FROM t"));
    }
  }
}
