package io.github.sqlitewriters.report;

/**
 * The names of the benchmarks' own counters as they appear in JMH's JSON (the public fields of the
 * {@code @AuxCounters} classes), in one place for the reports that read them. A test holds the
 * fields to these names. JMH reports an event counter as the sum over the measured iterations; the
 * reports show the largest single iteration where they say "per iteration".
 */
public final class Counters {
  /** Writes that committed, per second: the throughput the reports use. */
  public static final String COMMITTED = "committed";

  /** Calls that failed with SQLITE_BUSY (or the strategy's busy exception). */
  public static final String BUSY_FAILURES = "busyFailures";

  /** Calls that failed any other way. */
  public static final String OTHER_FAILURES = "otherFailures";

  /** FlushLoops' flushes (100-row batches) that committed: an event counter, summed by JMH. */
  public static final String FLUSHES_COMMITTED = "flushesCommitted";

  /** FlushLoops' flushes that failed: an event counter, summed by JMH. */
  public static final String FLUSH_FAILURES = "flushFailures";

  /** ReadersDuringWrites' reads per second. */
  public static final String READS = "reads";

  /** ReadersDuringWrites' failed reads per second. */
  public static final String READ_FAILURES = "readFailures";

  private Counters() {}
}
