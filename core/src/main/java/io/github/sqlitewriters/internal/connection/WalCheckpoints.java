package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.CheckpointPolicy;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.SQLiteConnection;

/**
 * Runs a {@link CheckpointPolicy} on a writer thread, between batches. Used by the writer thread
 * alone.
 *
 * <p>It looks at the WAL file's size at most once per check interval. Above the limit it runs a
 * RESTART checkpoint (copy what is left, wait for readers of old snapshots to finish, so that the
 * next write starts the WAL from its beginning), and the connection's {@code journal_size_limit}
 * makes that next write cut the file back to the limit. So the file only passes the limit again
 * when its content does, and the writer never truncates a large file to nothing and grows it again
 * (in a probe run, TRUNCATE stalled writes 51 ms at 64 MiB; RESTART 10 to 20 ms).
 *
 * <p>It waits for readers by trying with a busy timeout of zero and parking 200 µs between tries,
 * up to the policy's wait: SQLite's busy handler sleeps 1, 2, 5, 10 ms and longer between its own
 * tries, longer than a short read holds its snapshot. A checkpoint that does not finish (a reader
 * that stays, another process, a failing disk) doubles the time to the next attempt, up to {@link
 * #LONGEST_BACKOFF_NANOS}, so a long reader cannot make every batch pay the wait.
 */
public final class WalCheckpoints {
  private static final long PAUSE_NANOS = 200_000;
  static final long LONGEST_BACKOFF_NANOS = 5_000_000_000L;

  private final CheckpointPolicy policy;
  private final boolean enabled;
  private final Path wal;
  private final int busyTimeoutMillis;

  /** journal_size_limit as the policy sets it, or null when the settings set their own. */
  private final String journalSizeLimit;

  private final StatsRecorder stats;
  private long nextCheckNanos = System.nanoTime();
  private long backoffNanos;

  /** The connection whose journal_size_limit was set: a replaced connection needs it again. */
  private Connection limited;

  public WalCheckpoints(CheckpointPolicy policy, SqliteSettings settings, StatsRecorder stats) {
    this.policy = policy;
    // Only WAL has a WAL to bound; in the other modes journal_size_limit would change their
    // journal.
    this.enabled = policy.enabled() && settings.journalMode() == SqliteSettings.JournalMode.WAL;
    this.wal = walFile(settings.path());
    this.busyTimeoutMillis = (int) settings.busyTimeout().toMillis();
    this.journalSizeLimit =
        settings.pragmas().stream().anyMatch(p -> p.startsWith("PRAGMA journal_size_limit="))
            ? null
            : Long.toString(policy.walLimit());
    this.stats = stats;
  }

  /** SQLite names the WAL after the database file a symbolic link points to, not the link. */
  private static Path walFile(Path database) {
    Path real = database;
    try {
      real = database.toRealPath();
    } catch (IOException e) {
      // Not there yet: the path as given is the one SQLite creates.
    }
    return Path.of(real + "-wal");
  }

  /**
   * Checkpoints if the policy says so now. Never throws: whatever goes wrong is counted as a
   * checkpoint that did not finish, the connection is marked to be checked before its next
   * transaction, and the next attempt waits longer.
   *
   * @param writer the write connection, checked and with no transaction open
   */
  public void between(WriteConnection writer) {
    if (!enabled || !writer.trusted() || System.nanoTime() - nextCheckNanos < 0) {
      return;
    }
    boolean done = true;
    try {
      if (limited != writer.connection) {
        setJournalSizeLimit(writer.connection);
      }
      long size = walBytes();
      stats.walBytes(size);
      if (size > policy.walLimit()) {
        done = restart(writer);
        stats.checkpoint(done, walBytes());
      }
    } catch (SQLException | RuntimeException | Error e) {
      done = false;
      writer.suspect();
      stats.checkpoint(false, walBytes());
    }
    backoffNanos =
        done ? 0 : Math.min(LONGEST_BACKOFF_NANOS, Math.max(2 * backoffNanos, 50_000_000L));
    nextCheckNanos =
        System.nanoTime() + Math.max(saturatedNanos(policy.checkInterval()), backoffNanos);
  }

  private void setJournalSizeLimit(Connection connection) throws SQLException {
    if (journalSizeLimit != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_size_limit=" + journalSizeLimit);
      }
    }
    limited = connection;
  }

  /** Runs the checkpoint; true if it finished (the next write starts the WAL afresh). */
  private boolean restart(WriteConnection writer) throws SQLException {
    Connection connection = writer.connection;
    SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
    sqlite.setBusyTimeout(0);
    long deadline = System.nanoTime() + saturatedNanos(policy.maxWait());
    try (Statement statement = connection.createStatement()) {
      while (true) {
        try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
          // One row: busy (1 if readers or another process kept it from finishing), frames, copied.
          if (result.next() && result.getInt(1) == 0) {
            return true;
          }
        }
        if (deadline - System.nanoTime() < PAUSE_NANOS) {
          return false;
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    } finally {
      sqlite.setBusyTimeout(busyTimeoutMillis);
    }
  }

  private long walBytes() {
    try {
      return Files.size(wal);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A Duration's nanoseconds, or Long.MAX_VALUE for one too long to count so (over 292 years). */
  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
