package io.github.sqlitewriters;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exponential backoff with jitter, bounded by a deadline. Jitter keeps retrying writers from waking
 * together and colliding again; the deadline keeps a retry loop from outliving what the caller
 * agreed to wait.
 */
final class Backoff {
  private static final long FIRST_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
  private static final long LONGEST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final long deadlineNanos;
  private long ceilingNanos = FIRST_NANOS;

  /**
   * @param deadlineNanos the {@link System#nanoTime()} after which no attempt starts
   */
  Backoff(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
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
  boolean pause() throws InterruptedException {
    long remaining = remainingNanos();
    if (remaining == 0) {
      return false;
    }
    long half = ceilingNanos / 2;
    long sleep = Math.min(remaining, half + ThreadLocalRandom.current().nextLong(half + 1));
    ceilingNanos = Math.min(LONGEST_NANOS, ceilingNanos * 2);
    TimeUnit.NANOSECONDS.sleep(sleep);
    return true;
  }
}
