package io.github.sqlitewriters.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: when several processes write to one SQLite file, each through the same strategy with
 * several threads, how many writes per second commit in total, how long does the slowest write in
 * a thousand wait, how many fail, and does every process get its share?
 *
 * Expected: with turns on (the default), the product strategies' processes take turns through the
 * side file in arrival order, so every process gets its share and no write waits for long;
 * group-commit's process batches what queued while another process wrote. With turns off (turns=off,
 * kept for comparison in the same run) the file lock decides: the busy handler serves nobody in
 * order, and one process can take nearly every write. group-commit-data-source is JDBC transactions
 * through GroupCommitDataSource, sharing COMMITs inside each process. single-connection waits in SQLite's busy
 * handler (5 s by default) and fails some writes under contention; deferred-busy-timeout adds lock
 * upgrades that fail outright; neither takes turns. strategy=mixed gives process i the i-th of
 * group-commit, immediate, serialized-writer, immediate-data-source (JDBC transactions through
 * ImmediateDataSource), all on one file. processes=1 is the one-process figure of the same run.
 *
 * One operation is one 100 ms window: the parent (one JMH thread) asks each child for the writes
 * that ended in the window. `committed` is the total committed writes per second of all processes;
 * busyFailures and otherFailures are counts; p999Micros (writes that ended, failed ones too),
 * longestWaitMillis (the oldest write still waiting at any 100 ms window's end: a starved process
 * shows here, not in the p99.9) and slowestProcessPercent (ProcessShares) describe the iteration, so the benchmark measures one long iteration (JMH would add them up
 * across several). At the end the rows in the file are checked against the writes the children
 * saw commit: a difference fails the trial.
 *
 * Iterations are 30 s: starvation shows only in long ones (a process starved for 17 s once). The
 * warm-up is 10 s because four child JVMs on two cores are still compiling after 2 s: with a 2 s
 * warm-up, the first measured iteration of group-commit at 4 x 8 held a write 1,122 ms and later
 * ones 16 and 42 ms, so the longest wait measured the warm-up, not the turns.
 *
 * Run: java -jar benchmarks/target/benchmarks.jar SeveralProcesses -p processes=2 \
 *        -p threadsPerProcess=4 -p turns=on,off -si false
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 1, time = 30)
@Threads(1)
@Fork(1)
public class SeveralProcesses {
  private static final long WINDOW_MILLIS = 100;

  /** The strategy parameter that gives each process another writer, from {@link #MIXED_WRITERS}. */
  static final String MIXED = "mixed";

  static final List<String> MIXED_WRITERS =
      List.of("group-commit", "immediate", "serialized-writer", "immediate-data-source");

  /**
   * How long a child may take to answer; a write waits 30 s at most for the lock (busy deadline).
   */
  private static final long ANSWER_SECONDS = 60;

  @Param({
    "group-commit",
    "immediate",
    "serialized-writer",
    "immediate-data-source",
    "group-commit-data-source",
    MIXED,
    "single-connection",
    "deferred-busy-timeout"
  })
  public String strategy;

  /** {@code on}: the product strategies take turns across processes; {@code off}: they do not. */
  @Param({"on"})
  public String turns;

  @Param({"2", "4"})
  public int processes;

  @Param({"4", "8"})
  public int threadsPerProcess;

  @Param({"WAL"})
  public String journalMode;

  @Param({"FULL"})
  public String synchronous;

  private BenchDatabase database;
  private final List<Child> children = new ArrayList<>();
  private final LatencyBuckets latencies = new LatencyBuckets();
  private long[] committedPerProcess;

  /**
   * One child process and the two ends of its pipe. Its answers are read by a thread of their own,
   * so that a child that hangs fails the trial after {@link #ANSWER_SECONDS} instead of hanging it.
   */
  private static final class Child {
    private static final String ENDED = "\u0000ended";
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    Child(Process process) {
      this.process = process;
      this.commands = new PrintWriter(process.getOutputStream(), false, StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    answers.add(line);
                  }
                } catch (IOException e) {
                  // the process went away; ENDED says so
                } finally {
                  answers.add(ENDED);
                }
              },
              "several-processes-answers");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line the child printed, which must start with {@code expected}. */
    String answer(String expected) throws Exception {
      String line = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException(
            "a writer process gave no " + expected + " line in " + ANSWER_SECONDS + " s");
      }
      if (line.equals(ENDED)) {
        throw new IllegalStateException(
            "a writer process ended (exit " + process.waitFor() + "); its error is above");
      }
      if (!line.startsWith(expected)) {
        throw new IllegalStateException(
            "a writer process printed \"" + line + "\" where " + expected + " was due");
      }
      return line;
    }

    String ask(String command, String expected) throws Exception {
      commands.println(command);
      commands.flush();
      return answer(expected);
    }
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    if (!turns.equals("on") && !turns.equals("off")) {
      throw new IllegalArgumentException("turns must be on or off, was " + turns);
    }
    database = BenchDatabase.create(journalMode, synchronous);
    try {
      for (int i = 0; i < processes; i++) {
        children.add(
            new Child(
                ChildJvm.start(
                    ProcessWriter.class,
                    database.settings().path().toString(),
                    strategy.equals(MIXED) ? MIXED_WRITERS.get(i % MIXED_WRITERS.size()) : strategy,
                    Integer.toString(threadsPerProcess),
                    journalMode,
                    synchronous,
                    turns)));
      }
      for (Child child : children) {
        child.answer("READY");
      }
    } catch (Exception | Error e) {
      // JMH runs no tear-down after a failed set-up: stop what started.
      endChildren();
      throw e;
    }
  }

  @Setup(Level.Iteration)
  public void startWindow() throws Exception {
    for (Child child : children) {
      child.ask("count", "COUNT"); // the writes before this iteration are not its own
    }
    latencies.clear();
    committedPerProcess = new long[processes];
  }

  @Benchmark
  public void window(Committed committed, Failures failures, ProcessShares shares)
      throws Exception {
    Thread.sleep(WINDOW_MILLIS);
    for (int i = 0; i < processes; i++) {
      String[] count = children.get(i).ask("count", "COUNT").split(" ");
      long writes = Long.parseLong(count[1]);
      committed.committed += writes;
      committedPerProcess[i] += writes;
      failures.busyFailures += Long.parseLong(count[2]);
      failures.otherFailures += Long.parseLong(count[3]);
      shares.longestWaitMillis = Math.max(shares.longestWaitMillis, Long.parseLong(count[4]));
      latencies.add(count[5]);
    }
    shares.p999Micros = latencies.quantileNanos(0.999) / 1_000;
    long total = Arrays.stream(committedPerProcess).sum();
    long slowest = Arrays.stream(committedPerProcess).min().orElse(0);
    shares.slowestProcessPercent = total == 0 ? 0 : slowest * processes * 100 / total;
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    try {
      long reported = 0;
      for (Child child : children) {
        reported += Long.parseLong(child.ask("stop", "TOTAL").split(" ")[1]);
        if (!child.process.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              "a writer process did not stop in " + ANSWER_SECONDS + " s");
        }
      }
      long rows = rows();
      System.out.printf(
          "%n[%s] %d processes x %d threads: %d writes committed, %d rows in the file%n",
          strategy, processes, threadsPerProcess, reported, rows);
      if (rows != reported) {
        throw new IllegalStateException(
            strategy + ": the children saw " + reported + " writes commit, the file has " + rows);
      }
    } finally {
      endChildren();
    }
  }

  private void endChildren() {
    children.forEach(child -> child.process.destroyForcibly());
    children.clear();
    database.close();
  }

  private long rows() throws SQLException {
    try (Connection connection = database.settings().openConnection();
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM t")) {
      count.next();
      return count.getLong(1);
    }
  }
}
