package io.github.sqlitewriters.bench;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/*
 * Question: how fast is the simplest correct group commit (ReferenceGroupCommit) with asynchronous
 * submitters, in the shape of AsyncSubmitters (4 threads, 256 rows in flight each)?
 *
 * Expected: a ceiling for group-commit under AsyncSubmitters, where the per-task cost shows most
 * (hundreds of rows per COMMIT). group-commit / this reference in one run is the executor's own
 * cost per task. submitWindowAsOneBatch is the same reference running each batch as one
 * executeBatch: the ceiling for statement tasks (AsyncStatementSubmitters). Its callers keep 4 x 256
 * rows in flight and wait for them, as theirs do, so its ratio to Limits.executeBatch shows what the
 * shape of that load costs any group commit, and statement tasks / it what the executor costs.
 *
 * One operation is one committed row.
 * Run: java -jar benchmarks/target/benchmarks.jar GroupCommitReferenceAsync -si false
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(4)
@Fork(1)
public class GroupCommitReferenceAsync {

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL"})
  public String synchronous;

  private BenchDatabase database;
  private ReferenceGroupCommit reference;

  /** Each method is a trial of its own: the batched reference for the batched method. */
  @Setup(Level.Trial)
  public void open(BenchmarkParams params) throws SQLException {
    database = BenchDatabase.create(journalMode, synchronous);
    reference =
        new ReferenceGroupCommit(
            database.settings(), params.getBenchmark().endsWith(".submitWindowAsOneBatch"));
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    reference.close();
    database.close();
  }

  @Benchmark
  @OperationsPerInvocation(AsyncWindow.WINDOW)
  public void submitWindow(Committed committed, Failures failures) {
    CompletableFuture<?>[] inFlight = new CompletableFuture<?>[AsyncWindow.WINDOW];
    for (int i = 0; i < inFlight.length; i++) {
      inFlight[i] = reference.submit(ThreadLocalRandom.current().nextLong());
    }
    AsyncWindow.await(inFlight, committed, failures);
  }

  /** The same window, each of the reference's batches run as one executeBatch. */
  @Benchmark
  @OperationsPerInvocation(AsyncWindow.WINDOW)
  public void submitWindowAsOneBatch(Committed committed, Failures failures) {
    submitWindow(committed, failures);
  }
}
