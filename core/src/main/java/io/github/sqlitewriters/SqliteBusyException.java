package io.github.sqlitewriters;

import java.sql.SQLException;
import java.time.Duration;

/**
 * SQLite could not give the write lock (SQLITE_BUSY or SQLITE_LOCKED, in any of their extended
 * forms) and the strategy gave up: the caller's work is not committed.
 *
 * <p>It carries what a caller needs to decide what to do next and what a harness needs to count:
 * the extended result code, the strategy that gave up, how many attempts it made and how long it
 * waited in all. {@link #getErrorCode()} is the extended result code too, and the SQLite exception
 * that ended the last attempt is the cause.
 */
public final class SqliteBusyException extends SQLException {
  private static final long serialVersionUID = 1L;

  /** The busy and locked result codes, by SQLite's names. */
  public enum Code {
    /** SQLITE_BUSY (5): another connection holds the lock. */
    BUSY(5),
    /** SQLITE_LOCKED (6): a conflict inside this connection or its shared cache. */
    LOCKED(6),
    /** SQLITE_BUSY_RECOVERY (261): another connection is recovering the WAL. */
    BUSY_RECOVERY(261),
    /** SQLITE_LOCKED_SHAREDCACHE (262). */
    LOCKED_SHAREDCACHE(262),
    /**
     * SQLITE_BUSY_SNAPSHOT (517): a WAL read transaction tried to write after another connection
     * committed; waiting cannot help, the transaction must start again.
     */
    BUSY_SNAPSHOT(517),
    /** SQLITE_BUSY_TIMEOUT (773): a blocking lock wait timed out. */
    BUSY_TIMEOUT(773);

    private final int resultCode;

    Code(int resultCode) {
      this.resultCode = resultCode;
    }

    /** The extended result code, as SQLite numbers it. */
    public int resultCode() {
      return resultCode;
    }

    /**
     * The code for an extended result code, falling back to its primary code (the low byte).
     *
     * @throws IllegalArgumentException if the code is neither busy nor locked
     */
    public static Code of(int extendedResultCode) {
      for (Code code : values()) {
        if (code.resultCode == extendedResultCode) {
          return code;
        }
      }
      switch (extendedResultCode & 0xff) {
        case 5:
          return BUSY;
        case 6:
          return LOCKED;
        default:
          throw new IllegalArgumentException(
              "not a busy or locked result code: " + extendedResultCode);
      }
    }
  }

  private final Code code;
  private final String strategy;
  private final int attempts;
  private final Duration waited;

  /**
   * @param code the busy code of the last attempt
   * @param strategy the name of the strategy that gave up
   * @param attempts attempts made, at least 1
   * @param waited time spent from the first attempt to giving up
   * @param cause the exception that ended the last attempt
   */
  public SqliteBusyException(
      Code code, String strategy, int attempts, Duration waited, Throwable cause) {
    super(
        "SQLITE_"
            + code
            + ": strategy "
            + strategy
            + " gave up after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + " and "
            + waited.toMillis()
            + " ms; the work was not committed",
        "40001",
        code.resultCode(),
        cause);
    this.code = code;
    this.strategy = strategy;
    this.attempts = attempts;
    this.waited = waited;
  }

  /** The busy code of the last attempt. */
  public Code code() {
    return code;
  }

  /** The extended result code of the last attempt, e.g. 517 for SQLITE_BUSY_SNAPSHOT. */
  public int resultCode() {
    return code.resultCode();
  }

  /** The name of the strategy that gave up. */
  public String strategy() {
    return strategy;
  }

  /** How many times the strategy tried. */
  public int attempts() {
    return attempts;
  }

  /** How long the strategy tried for. */
  public Duration waited() {
    return waited;
  }
}
