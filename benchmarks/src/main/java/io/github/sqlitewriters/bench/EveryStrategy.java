package io.github.sqlitewriters.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The strategy parameter every benchmark that compares all strategies sweeps, declared once and
 * inherited (JMH's JMHSample_24_Inheritance): adding a strategy to the library means adding it
 * here, not to six lists. The journal mode and synchronous setting stay with each benchmark,
 * because each sweeps its own (a benchmark that only asks about WAL sweeps only WAL).
 */
@State(Scope.Benchmark)
public abstract class EveryStrategy {
  @Param({
    "deferred-no-timeout",
    "deferred-busy-timeout",
    "deferred-retry",
    "hikari-pool",
    "single-connection",
    "immediate",
    "serialized-writer",
    "group-commit"
  })
  public String strategy;
}
