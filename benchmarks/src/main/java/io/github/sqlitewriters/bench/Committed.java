package io.github.sqlitewriters.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Committed writes, as a rate beside JMH's primary score. The primary score counts every call,
 * failed ones too; {@code committed} is the throughput that matters, so published results use it.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Committed {
  public long committed;

  @Setup(Level.Iteration)
  public void reset() {
    committed = 0;
  }
}
