package io.github.sqlitewriters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * (measured: TRUNCATE stalled writes 51 ms and more at 64 MiB; RESTART 10 to 20 ms).
 *
 * <p>It waits for readers by trying with a busy timeout of zero and parking 200 µs between tries,
 * up to the policy's wait: SQLite's busy handler sleeps 1, 2, 5, then 10 ms between its own tries,
 * longer than a short read holds its snapshot.
 */
final class WalCheckpoints {
  private static final long PAUSE_NANOS = 200_000;

  private final CheckpointPolicy policy;
  private final Path wal;
  private final int busyTimeoutMillis;
  private final StatsRecorder stats;
  private long nextCheckNanos = System.nanoTime();

  /** The connection whose journal_size_limit was set: a replaced connection needs it again. */
  private Connection limited;

  WalCheckpoints(CheckpointPolicy policy, SqliteSettings settings, StatsRecorder stats) {
    this.policy = policy;
    this.wal = Path.of(settings.path() + "-wal");
    this.busyTimeoutMillis = (int) settings.busyTimeout().toMillis();
    this.stats = stats;
  }

  /**
   * Checkpoints if the policy says so now. Never throws: a checkpoint that fails (readers that
   * stay, another process, a full disk) is counted and tried again at the next check, and the
   * connection is handed back with its busy timeout as the settings have it, or marked suspect.
   *
   * @param writer the write connection, with no transaction open
   */
  void between(WriteConnection writer) {
    if (!policy.enabled() || System.nanoTime() - nextCheckNanos < 0) {
      return;
    }
    nextCheckNanos = System.nanoTime() + policy.checkInterval().toNanos();
    if (limited != writer.connection && !limitJournalSize(writer)) {
      return;
    }
    long size = walBytes();
    stats.walBytes(size);
    if (size > policy.walLimit()) {
      stats.checkpoint(restart(writer), walBytes());
    }
  }

  private boolean limitJournalSize(WriteConnection writer) {
    try (Statement statement = writer.connection.createStatement()) {
      statement.execute("PRAGMA journal_size_limit=" + policy.walLimit());
      limited = writer.connection;
      return true;
    } catch (SQLException e) {
      writer.suspect();
      return false;
    }
  }

  /** Runs the checkpoint; true if it finished (the next write starts the WAL afresh). */
  private boolean restart(WriteConnection writer) {
    Connection connection = writer.connection;
    SQLiteConnection sqlite;
    try {
      sqlite = connection.unwrap(SQLiteConnection.class);
      sqlite.setBusyTimeout(0);
    } catch (SQLException e) {
      writer.suspect();
      return false;
    }
    long deadline = System.nanoTime() + policy.maxWait().toNanos();
    try (Statement statement = connection.createStatement()) {
      while (true) {
        try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
          // One row: busy (1 if readers or another process kept it from finishing), frames, copied.
          if (result.next() && result.getInt(1) == 0) {
            return true;
          }
        }
        if (System.nanoTime() + PAUSE_NANOS - deadline > 0) {
          return false;
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    } catch (SQLException e) {
      return false;
    } finally {
      try {
        sqlite.setBusyTimeout(busyTimeoutMillis);
      } catch (SQLException e) {
        writer.suspect(); // checked and restored, or replaced, before the next batch
      }
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
}
