package io.github.sqlitewriters.report;

import java.util.Map;

/**
 * One line of JMH's JSON output: a benchmark method at one set of parameters and thread count.
 *
 * @param benchmark the class's simple name, e.g. {@code ContendedWriteThroughput}
 * @param method the benchmark method or group, e.g. {@code insertOneRow}
 * @param mode JMH's mode: thrpt, sample, avgt
 * @param threads threads that ran it
 * @param params JMH parameters by name
 * @param score the primary score
 * @param error the primary score's 99.9 % error half-width; NaN when JMH could not compute it
 * @param unit the primary score's unit, e.g. {@code ops/s} or {@code us/op}
 * @param percentiles for sample mode, score by percentile ("50.0", "99.9", "100.0", ...)
 * @param secondary secondary metrics (aux counters) by name
 * @param jdk the version of the JDK that ran it, e.g. {@code 25.0.1}
 */
public record JmhResult(
    String benchmark,
    String method,
    String mode,
    int threads,
    Map<String, String> params,
    double score,
    double error,
    String unit,
    Map<String, Double> percentiles,
    Map<String, Metric> secondary,
    String jdk) {

  /**
   * The pseudo-parameter that marks a cell whose benchmark threads were virtual threads (JMH's
   * {@code -Djmh.executor=VIRTUAL}); platform-thread cells have none, so their keys match older
   * runs.
   */
  public static final String CALLERS = "callers";

  public static final String VIRTUAL = "virtual";

  /**
   * One secondary metric: its score, error and unit. For an event counter JMH's score is the sum
   * over the measured iterations, so {@code mostInOneIteration} keeps the largest single
   * iteration's count.
   */
  public record Metric(double score, double error, String unit, double mostInOneIteration) {}

  /** Whether JMH ran this cell's threads as virtual threads. */
  public boolean virtualCallers() {
    return VIRTUAL.equals(params.get(CALLERS));
  }

  public String param(String name) {
    return params.getOrDefault(name, "");
  }

  /** A secondary metric's largest count in one measured iteration, or NaN when not recorded. */
  public double mostInOneIteration(String name) {
    Metric metric = secondary.get(name);
    return metric == null ? Double.NaN : metric.mostInOneIteration();
  }

  /**
   * A secondary metric's score, or NaN when the run did not record it: a table prints it as missing
   * ("-"), never as 0, which would read as "no failures". For an event counter (the failure
   * counters) this is the sum over the measured iterations; see {@link #mostInOneIteration}.
   */
  public double secondaryScore(String name) {
    Metric metric = secondary.get(name);
    return metric == null ? Double.NaN : metric.score();
  }

  /** The key that identifies this cell across runs: benchmark, method, threads and parameters. */
  public String key() {
    StringBuilder key = new StringBuilder(benchmark).append('.').append(method);
    key.append(" t=").append(threads);
    params.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> key.append(' ').append(e.getKey()).append('=').append(e.getValue()));
    return key.toString();
  }
}
