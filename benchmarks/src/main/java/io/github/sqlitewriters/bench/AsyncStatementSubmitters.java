package io.github.sqlitewriters.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
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
 * Question: AsyncSubmitters again, with the rows as statement tasks (submit(sql, parameters...))
 * instead of lambdas. How close does that bring each strategy to the batched limit of one
 * connection (Limits.executeBatch1000RowsPerTransaction)?
 *
 * Expected: group-commit runs each run of statement tasks with the same SQL as one executeBatch,
 * so it loses the per-task view, lent statement and execution a lambda costs, and comes closest to
 * the limit; every other strategy runs a statement task as ordinary work, as fast as a lambda.
 *
 * A class of its own, not a method of AsyncSubmitters, so that the Sweep's existing cells keep
 * their time and the statement cells can be run for the strategies that batch them. Compare in one
 * JMH run, so the ratios come from one state of the machine:
 *   java -jar benchmarks/target/benchmarks.jar \
 *     'AsyncStatementSubmitters|AsyncSubmitters|GroupCommitReferenceAsync|Limits.executeBatch' \
 *     -p strategy=group-commit -p journalMode=WAL -p synchronous=NORMAL
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(4)
@Fork(1)
public class AsyncStatementSubmitters extends AsyncWindow {
  @Benchmark
  @OperationsPerInvocation(WINDOW)
  public void submitWindow(Committed committed, Failures failures) {
    CompletableFuture<?>[] inFlight = new CompletableFuture<?>[WINDOW];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < WINDOW; i++) {
      inFlight[i] = state.executor.submit(Rows.INSERT, random.nextLong(), Rows.VALUE);
    }
    await(inFlight, committed, failures);
  }
}
