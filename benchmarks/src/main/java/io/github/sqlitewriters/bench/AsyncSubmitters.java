package io.github.sqlitewriters.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: when callers do not wait for each write but keep many submit() futures in flight,
 * how close does each strategy get to the batched limit of one connection (Limits.executeBatch)?
 *
 * Expected: group-commit sees a deep queue and puts hundreds of rows in each transaction, so it
 * approaches the batched limit (a good share of it: each row still pays a SAVEPOINT and a
 * RELEASE); every other strategy still commits once per row.
 *
 * One operation is one row; each call submits WINDOW rows and waits for all their futures.
 * Run: java -jar benchmarks/target/benchmarks.jar AsyncSubmitters -p strategy=group-commit
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(4)
@Fork(1)
public class AsyncSubmitters extends AsyncWindow {
  @Benchmark
  @OperationsPerInvocation(WINDOW)
  public void submitWindow(Committed committed, Failures failures) {
    CompletableFuture<?>[] inFlight = new CompletableFuture<?>[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      inFlight[i] = state.executor.submit(Rows.INSERT_ONE);
    }
    await(inFlight, committed, failures);
  }
}
