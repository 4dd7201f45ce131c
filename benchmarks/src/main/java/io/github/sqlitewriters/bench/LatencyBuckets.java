package io.github.sqlitewriters.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Write latencies counted in logarithmic buckets (8 per power of two, so a percentile is known to
 * within 9 %), small enough for a child process to send a window of them on one line and for the
 * parent to merge the windows of several processes into one p99.9. Recording is lock-free: writer
 * threads add while the reporting thread drains.
 */
final class LatencyBuckets {
  private static final int PER_DOUBLING = 8;
  private static final int BUCKETS = 48 * PER_DOUBLING; // up to 2^48 ns, about 3 days

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long nanos) {
    counts.incrementAndGet(bucket(nanos));
  }

  static int bucket(long nanos) {
    if (nanos < 1) {
      return 0;
    }
    double log2 = Math.log(nanos) / Math.log(2);
    return Math.min(BUCKETS - 1, (int) (log2 * PER_DOUBLING));
  }

  /** The bucket's upper bound in nanoseconds: what a percentile in it is reported as. */
  static long upperBoundNanos(int bucket) {
    return (long) Math.ceil(Math.pow(2, (bucket + 1) / (double) PER_DOUBLING));
  }

  /**
   * The counts since the last drain, as {@code bucket:count} pairs joined by commas, and zeroes
   * them.
   */
  String drain() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < BUCKETS; i++) {
      long count = counts.getAndSet(i, 0);
      if (count > 0) {
        text.append(text.length() == 0 ? "" : ",").append(i).append(':').append(count);
      }
    }
    return text.length() == 0 ? "-" : text.toString();
  }

  /** Adds counts in the form {@link #drain()} writes. */
  void add(String drained) {
    if (drained.equals("-")) {
      return;
    }
    for (String pair : drained.split(",")) {
      int colon = pair.indexOf(':');
      counts.addAndGet(
          Integer.parseInt(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
    }
  }

  void clear() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.set(i, 0);
    }
  }

  /**
   * The latency at this quantile (0.999 for p99.9) in nanoseconds, or 0 if nothing was recorded.
   */
  long quantileNanos(double quantile) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS && total > 0; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upperBoundNanos(i);
      }
    }
    return 0;
  }
}
