package io.github.sqlitewriters.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@link SeveralProcesses} reports beside the committed rate: the p99.9 of a write across all
 * processes, the longest a write still in progress had waited, and fairness as the share of the
 * slowest process (100: every process committed as many writes as the average; 0: one process was
 * starved). Both describe one iteration; JMH adds event counters up across iterations, which is why
 * that benchmark measures one long iteration.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ProcessShares {
  public long p999Micros;
  public long longestWaitMillis;
  public long slowestProcessPercent;

  @Setup(Level.Iteration)
  public void reset() {
    p999Micros = 0;
    longestWaitMillis = 0;
    slowestProcessPercent = 0;
  }
}
