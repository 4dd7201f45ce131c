package io.github.sqlitewriters;

import java.time.Duration;
import java.util.Objects;

/**
 * When the writer-thread strategies ({@code serialized-writer}, {@code group-commit}) checkpoint
 * the WAL themselves, beside SQLite's automatic checkpoint.
 *
 * <p>Why: SQLite's automatic checkpoint runs after a COMMIT once the WAL holds 1000 pages, but it
 * can only copy frames older than the oldest open read snapshot, and the WAL is only rewound to its
 * start when every frame was copied and no reader still uses it. Under a steady mix of writes and
 * overlapping reads that never happens, and the {@code -wal} file grows without bound (gigabytes in
 * the field), slowing every read as its index grows. A RESTART checkpoint copies what is left and
 * waits for the readers of old snapshots to finish (new readers read the database file once
 * everything is copied), so that the next write starts the WAL from its beginning. The writer
 * thread owns the only write connection, so it can run one between batches at no risk to anyone's
 * transaction.
 *
 * <p>The policy: between batches, at most once per {@link #checkInterval()}, the writer looks at
 * the WAL file's size; above {@link #walLimit()} it runs {@code PRAGMA wal_checkpoint(RESTART)},
 * waiting for readers at most {@link #maxWait()} (callers queued behind it wait that long, plus the
 * copy of what the automatic checkpoint has not copied yet and two fsyncs); and it sets the
 * connection's {@code journal_size_limit} to the limit, so that the file is cut back to it when the
 * WAL starts afresh. A checkpoint the readers did not let finish is counted, and the next attempt
 * waits twice as long as the last (50 ms to 5 s), so that a reader that stays cannot make every
 * batch pay the wait. Journal modes other than WAL are left alone, and so is a {@code
 * journal_size_limit} the settings set. {@link #off()} leaves SQLite's own behaviour alone. With no
 * overlapping readers SQLite rewinds the WAL itself and the file stays far below the limit, so the
 * default policy costs a file-size look-up per check interval.
 *
 * <p>The caller-thread strategies ({@code immediate}) have no thread of their own to run it on; see
 * the README's "Long-running writers" for what to do there.
 */
public final class CheckpointPolicy {
  private static final CheckpointPolicy OFF = new CheckpointPolicy(0, Duration.ZERO, Duration.ZERO);

  private final long walLimit;
  private final Duration maxWait;
  private final Duration checkInterval;

  private CheckpointPolicy(long walLimit, Duration maxWait, Duration checkInterval) {
    this.walLimit = walLimit;
    this.maxWait = maxWait;
    this.checkInterval = checkInterval;
  }

  /** No checkpoints beyond SQLite's automatic one. */
  public static CheckpointPolicy off() {
    return OFF;
  }

  /**
   * A WAL limit of 48 MiB (so the file stays under 64 MiB with room for what a check interval
   * adds), waiting at most 20 ms for readers, checked every 10 ms.
   */
  public static CheckpointPolicy defaults() {
    return walLimit(48L << 20, Duration.ofMillis(20), Duration.ofMillis(10));
  }

  /**
   * @param bytes the WAL file size above which the writer runs a RESTART checkpoint, and to which
   *     the file is cut back when the WAL starts afresh (at least 1)
   * @param maxWait the longest the checkpoint waits for readers of old snapshots (callers queued
   *     behind it wait about that long at most)
   * @param checkInterval the least time between two looks at the WAL's size
   */
  public static CheckpointPolicy walLimit(long bytes, Duration maxWait, Duration checkInterval) {
    if (bytes < 1) {
      throw new IllegalArgumentException("walLimit must be at least 1 byte, was " + bytes);
    }
    return new CheckpointPolicy(
        bytes, notNegative("maxWait", maxWait), notNegative("checkInterval", checkInterval));
  }

  /** Whether the writer checkpoints at all. */
  public boolean enabled() {
    return walLimit > 0;
  }

  /** The WAL file size, in bytes, above which the writer checkpoints; 0 when off. */
  public long walLimit() {
    return walLimit;
  }

  public Duration maxWait() {
    return maxWait;
  }

  public Duration checkInterval() {
    return checkInterval;
  }

  @Override
  public String toString() {
    return enabled()
        ? "CheckpointPolicy{walLimit="
            + walLimit
            + ", maxWait="
            + maxWait
            + ", checkInterval="
            + checkInterval
            + "}"
        : "CheckpointPolicy{off}";
  }

  private static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    return value;
  }
}
