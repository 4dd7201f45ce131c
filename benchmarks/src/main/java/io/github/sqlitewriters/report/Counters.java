package io.github.sqlitewriters.report;

/**
 * The names of the benchmarks' own counters as they appear in JMH's JSON (the public fields of the
 * {@code @AuxCounters} classes {@code Committed} and {@code Failures}), in one place for the
 * reports that read them. A test holds the fields to these names.
 */
public final class Counters {
  /** Writes that committed, per second: the throughput the reports use. */
  public static final String COMMITTED = "committed";

  /** Calls that failed with SQLITE_BUSY (or the strategy's busy exception). */
  public static final String BUSY_FAILURES = "busyFailures";

  /** Calls that failed any other way. */
  public static final String OTHER_FAILURES = "otherFailures";

  private Counters() {}
}
