package io.github.sqlitewriters.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the asynchronous-submitter benchmarks share: the executor under test on one WAL file, its
 * parameters, and waiting for a window of futures. A base class (JMH's JMHSample_24_Inheritance)
 * because JMH does not let a subclass override an inherited {@code @Benchmark}: each question keeps
 * its own class and so its own cells' names, {@code AsyncSubmitters} with lambda tasks and {@code
 * AsyncStatementSubmitters} with statement tasks.
 */
@State(Scope.Benchmark)
public abstract class AsyncWindow extends EveryStrategy {
  /** Rows each thread keeps in flight per call. */
  static final int WINDOW = 256;

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL"})
  public String synchronous;

  ExecutorState state;

  @Setup(Level.Trial)
  public void open() {
    state = new ExecutorState(strategy, journalMode, synchronous);
  }

  @TearDown(Level.Trial)
  public void close() {
    state.close();
  }

  /** Waits for every future of a window, counting what committed and what failed. */
  static void await(CompletableFuture<?>[] inFlight, Committed committed, Failures failures) {
    for (CompletableFuture<?> future : inFlight) {
      try {
        future.join();
        committed.committed++;
      } catch (CompletionException e) {
        failures.count(e.getCause() instanceof Exception ? (Exception) e.getCause() : e);
      }
    }
  }
}
