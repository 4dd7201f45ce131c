package io.github.sqlitewriters.internal.transaction;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exponential backoff with jitter, bounded by a deadline. Jitter keeps retrying writers from waking
 * together and colliding again; the deadline keeps a retry loop from outliving what the caller
 * agreed to wait. It sleeps in Java, so a waiting virtual thread parks and frees its carrier, which
 * a wait inside SQLite's busy handler (a native call) does not.
 */
public final class Backoff {
  private static final long FIRST_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
  private static final long LONGEST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final long deadlineNanos;
  private final long longestNanos;
  private long ceilingNanos = FIRST_NANOS;

  /**
   * @param deadlineNanos the {@link System#nanoTime()} after which no attempt starts
   */
  public Backoff(long deadlineNanos) {
    this(deadlineNanos, LONGEST_NANOS);
  }

  /**
   * @param deadlineNanos the {@link System#nanoTime()} after which no attempt starts
   * @param longestNanos the longest single pause: short where a waiter polls a lock it must take
   *     soon after release, as {@code immediate} does
   */
  public Backoff(long deadlineNanos, long longestNanos) {
    this.deadlineNanos = deadlineNanos;
    this.longestNanos = Math.max(FIRST_NANOS, longestNanos);
  }

  /** Nanoseconds left until the deadline, never negative. */
  long remainingNanos() {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  /**
   * Sleeps before the next attempt, between half and all of a ceiling that doubles each time, and
   * never past the deadline.
   *
   * @return false, without sleeping, if the deadline has passed
   */
  public boolean pause() throws InterruptedException {
    long remaining = remainingNanos();
    if (remaining == 0) {
      return false;
    }
    long half = ceilingNanos / 2;
    long sleep = Math.min(remaining, half + ThreadLocalRandom.current().nextLong(half + 1));
    ceilingNanos = Math.min(longestNanos, ceilingNanos * 2);
    TimeUnit.NANOSECONDS.sleep(sleep);
    return true;
  }
}
