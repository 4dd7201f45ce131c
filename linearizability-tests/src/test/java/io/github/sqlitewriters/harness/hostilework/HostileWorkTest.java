package io.github.sqlitewriters.harness.hostilework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.ConnectionOutsideWorkException;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concurrent callers through a product strategy, one write in five hostile: SQL that ends the
 * transaction behind a row statement, {@code INSERT OR ROLLBACK}, a PRAGMA or temporary table left
 * behind, a deferred foreign key that fails at COMMIT, work that throws after writing, and
 * connections kept after the work returned and used from another thread. Each write inserts its key
 * into two tables. Afterwards the database is held against what each caller was told: a key is
 * present exactly when its caller was told it committed (or that its work committed it itself),
 * both tables agree, no late use of a kept connection wrote anything, and the executor serves 100
 * more writes.
 */
class HostileWorkTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = Harness.STRESS ? 2_000 : 150;

  /** What a caller was told. */
  private enum Told {
    COMMITTED,
    COMMITTED_BY_WORK,
    FAILED
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#product")
  void everyCallerIsToldTheTruthWhateverTheWorkDoes(String strategy) throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(
        settings,
        "CREATE TABLE a(k INTEGER PRIMARY KEY)",
        "CREATE TABLE b(k INTEGER PRIMARY KEY)",
        "CREATE TABLE parent(id INTEGER PRIMARY KEY)",
        "CREATE TABLE child(id INTEGER PRIMARY KEY,"
            + " parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
    Map<Long, Told> told = new ConcurrentHashMap<>();
    Map<Long, Connection> keptByWork = new ConcurrentHashMap<>();
    AtomicReference<Connection> kept = new AtomicReference<>();
    LongAdder lateUsesRefused = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread lateUser = new Thread(() -> useKeptConnections(kept, running, lateUsesRefused));
    Harness.Tally tally;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      lateUser.start();
      tally =
          Harness.runCallers(
              executor,
              THREADS,
              PER_THREAD,
              (writes, thread, index) -> {
                long key = thread * 100_000L + index + 1;
                try {
                  writes.write(work(key, index, keptByWork));
                  told.put(key, Told.COMMITTED);
                } catch (TransactionControlException e) {
                  told.put(
                      key,
                      e.outcome() == TransactionControlException.Outcome.COMMITTED_BY_WORK
                          ? Told.COMMITTED_BY_WORK
                          : Told.FAILED);
                  throw e;
                } catch (SQLException | RuntimeException e) {
                  told.put(key, Told.FAILED);
                  throw e;
                } finally {
                  // Handed to the late user only once its work has returned.
                  Connection connection = keptByWork.remove(key);
                  if (connection != null) {
                    kept.set(connection);
                  }
                }
              });
      running.set(false);
      lateUser.join(TimeUnit.SECONDS.toMillis(30));
      for (long k = 1; k <= 100; k++) {
        long key = -k;
        writes(executor, key);
      }
    }
    Path db = settings.path();
    long lies = 0;
    for (Map.Entry<Long, Told> entry : told.entrySet()) {
      long key = entry.getKey();
      boolean inA = Harness.queryLong(db, "SELECT count(*) FROM a WHERE k = " + key) == 1;
      boolean inB = Harness.queryLong(db, "SELECT count(*) FROM b WHERE k = " + key) == 1;
      boolean expected = entry.getValue() != Told.FAILED;
      if (inA != expected || (entry.getValue() == Told.COMMITTED && inB != inA)) {
        lies++;
        Harness.report(
            strategy
                + " hostile: key "
                + key
                + " told "
                + entry.getValue()
                + ", a="
                + inA
                + " b="
                + inB);
      }
    }
    long ghosts = Harness.queryLong(db, "SELECT count(*) FROM a WHERE k >= 1000000000");
    long more = Harness.queryLong(db, "SELECT count(*) FROM a WHERE k < 0");
    Harness.report(
        strategy
            + " hostile work "
            + THREADS
            + "x"
            + PER_THREAD
            + ": "
            + tally.toString().replaceAll(" other errors: .*", "")
            + "; "
            + lies
            + " callers told a wrong outcome; "
            + lateUsesRefused.sum()
            + " late uses of kept connections refused, "
            + ghosts
            + " of their rows written; 100 further writes: "
            + more
            + " committed");
    assertEquals(THREADS * PER_THREAD, told.size(), "every caller heard back");
    assertEquals(0, lies, "no caller was told a wrong outcome");
    assertEquals(0, ghosts, "no late use of a kept connection wrote anything");
    assertTrue(lateUsesRefused.sum() > 0, "kept connections were used late, and refused");
    assertEquals(100, more, "the executor serves 100 more writes");
    assertEquals("ok", Harness.integrityCheck(db));
  }

  private static void writes(WriteExecutor executor, long key) throws SQLException {
    executor.write(insertBoth(key));
  }

  /** Four writes in five are plain; the fifth is one of the hostile kinds, in turn. */
  private static SqlWork<Long> work(long key, int index, Map<Long, Connection> kept) {
    if (index % 5 != 4) {
      return insertBoth(key);
    }
    switch ((index / 5) % 7) {
      case 0:
        return sql(key, "INSERT INTO a(k) VALUES (%d); COMMIT");
      case 1:
        return sql(key, "INSERT INTO a(k) VALUES (%d); ROLLBACK; BEGIN");
      case 2:
        return c -> {
          insertBoth(key).run(c);
          return executeUpdate(c, "INSERT OR ROLLBACK INTO a(k) VALUES (" + key + ")");
        };
      case 3:
        return c -> {
          insertBoth(key).run(c);
          executeUpdate(c, key % 2 == 0 ? "PRAGMA query_only=1" : "CREATE TEMP TABLE t(x)");
          return key;
        };
      case 4:
        return c -> {
          insertBoth(key).run(c);
          return executeUpdate(c, "INSERT INTO child(parent) VALUES (424242)");
        };
      case 5:
        return c -> {
          insertBoth(key).run(c);
          throw new SQLException("work failed after writing");
        };
      default:
        return c -> {
          kept.put(key, c);
          return insertBoth(key).run(c);
        };
    }
  }

  private static SqlWork<Long> insertBoth(long key) {
    return c -> {
      try (PreparedStatement a = c.prepareStatement("INSERT INTO a(k) VALUES (?)");
          PreparedStatement b = c.prepareStatement("INSERT INTO b(k) VALUES (?)")) {
        a.setLong(1, key);
        a.executeUpdate();
        b.setLong(1, key);
        b.executeUpdate();
      }
      return key;
    };
  }

  private static SqlWork<Long> sql(long key, String format) {
    return c -> executeUpdate(c, String.format(format, key));
  }

  private static long executeUpdate(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  /** Keeps trying to write through the latest kept connection, as a leaked reference would. */
  private static void useKeptConnections(
      AtomicReference<Connection> kept, AtomicBoolean running, LongAdder refused) {
    long ghost = 1_000_000_000L;
    while (running.get()) {
      Connection connection = kept.get();
      if (connection == null) {
        Thread.onSpinWait();
        continue;
      }
      try {
        executeUpdate(connection, "INSERT INTO a(k) VALUES (" + ghost++ + ")");
      } catch (ConnectionOutsideWorkException e) {
        refused.increment();
      } catch (SQLException e) {
        throw new AssertionError("a kept connection was not refused cleanly", e);
      }
      Thread.yield();
    }
  }
}
