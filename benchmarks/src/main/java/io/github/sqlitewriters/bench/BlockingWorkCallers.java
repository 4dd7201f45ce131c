package io.github.sqlitewriters.bench;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: when each write's work blocks briefly inside its transaction (1 ms, standing for any
 * I/O or lock), do 1,000 virtual-thread callers write at least as fast as 32 platform threads?
 *
 * Expected: yes for the product strategies. A virtual thread inside a native call keeps its
 * carrier, so a strategy whose callers wait inside SQLite's busy handler would let waiters hold
 * every carrier while the lock holder, parked in its 1 ms, could not get one back (the old
 * immediate: 7 of 2,000 writes in 60 s). immediate now waits its turn on a fair Java lock and
 * polls another process's lock with parks; the writer-thread strategies' writer is a platform
 * thread. Every write pays its 1 ms inside the lock, so no strategy passes 1,000 writes/s, except
 * group-commit, whose batch holds one lock for many callers' sleeps in turn and so also stays near
 * 1,000/s. The comparison strategies that wait in SQLite are left out: they stall (see the
 * README). Needs JDK 21+ for the virtual cells; on an older JDK those cells fail with that reason.
 *
 * One operation is one committed write; each call runs WRITES writes spread over the callers.
 * Run: java -jar benchmarks/target/benchmarks.jar BlockingWorkCallers -si false
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 5)
@Threads(1)
@Fork(1)
public class BlockingWorkCallers {
  static final int WRITES = 2_000;

  @Param({"single-connection", "immediate", "serialized-writer", "group-commit"})
  public String strategy;

  /** Who calls: 32 platform threads, or 1,000 virtual threads (JDK 21+). */
  @Param({"platform-32", "virtual-1000"})
  public String callers;

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL"})
  public String synchronous;

  private ExecutorState state;
  private ExecutorService threads;
  private int callerCount;

  @Setup(Level.Trial)
  public void open() {
    state = new ExecutorState(strategy, journalMode, synchronous);
    if (callers.equals("platform-32")) {
      callerCount = 32;
      threads = Executors.newFixedThreadPool(callerCount);
    } else if (callers.equals("virtual-1000")) {
      callerCount = 1_000;
      threads = virtualThreads();
    } else {
      throw new IllegalArgumentException("callers must be platform-32 or virtual-1000");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    threads.shutdownNow();
    state.close();
  }

  @Benchmark
  @OperationsPerInvocation(WRITES)
  public void writes(Committed committed, Failures failures) throws Exception {
    List<Future<?>> running = new ArrayList<>(callerCount);
    for (int c = 0; c < callerCount; c++) {
      int writes = WRITES / callerCount + (c < WRITES % callerCount ? 1 : 0);
      running.add(
          threads.submit(
              () -> {
                for (int i = 0; i < writes; i++) {
                  write(committed, failures);
                }
                return null;
              }));
    }
    for (Future<?> caller : running) {
      caller.get();
    }
  }

  private void write(Committed committed, Failures failures) {
    // Counters are per JMH thread; callers of one invocation share them, so count under a lock.
    boolean done;
    Exception error = null;
    try {
      state.executor.write(
          c -> {
            try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO t(k, v) VALUES (1, 'blocking work')")) {
              insert.executeUpdate();
            }
            sleepBriefly();
            return null;
          });
      done = true;
    } catch (Exception e) {
      done = false;
      error = e;
    }
    synchronized (committed) {
      if (done) {
        committed.committed++;
      } else {
        failures.count(error);
      }
    }
  }

  private static void sleepBriefly() throws SQLException {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }

  private static ExecutorService virtualThreads() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "callers=virtual-1000 needs JDK 21 or newer; this is " + Runtime.version(), e);
    }
  }
}
