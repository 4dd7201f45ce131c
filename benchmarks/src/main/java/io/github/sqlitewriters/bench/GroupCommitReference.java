package io.github.sqlitewriters.bench;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: how fast is the simplest correct group commit (ReferenceGroupCommit, about a hundred
 * lines) with callers that each wait for their write, as in ContendedWriteThroughput (threads
 * from -t)? GroupCommitReferenceAsync asks the same for asynchronous submitters.
 *
 * Expected: a ceiling for group-commit, which does more per task (a sealed view of the
 * connection, savepoints where a task fails, the checks that keep an executor from staying
 * broken). group-commit / this reference, cell by cell in one run, is the executor's own cost.
 *
 * One operation is one committed row.
 * Run: java -jar benchmarks/target/benchmarks.jar GroupCommitReference -t 32 -si false
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GroupCommitReference {

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL", "FULL"})
  public String synchronous;

  private BenchDatabase database;
  private ReferenceGroupCommit reference;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    database = BenchDatabase.create(journalMode, synchronous);
    reference = new ReferenceGroupCommit(database.settings(), false);
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    reference.close();
    database.close();
  }

  /** A caller that waits for its write, as in ContendedWriteThroughput. */
  @Benchmark
  public void insertOneRow(Committed committed, Failures failures) {
    try {
      reference.submit(ThreadLocalRandom.current().nextLong()).join();
      committed.committed++;
    } catch (CompletionException e) {
      failures.count((Exception) e.getCause());
    }
  }
}
