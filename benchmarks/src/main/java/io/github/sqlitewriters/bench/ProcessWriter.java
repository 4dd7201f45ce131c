package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.GroupCommitDataSource;
import io.github.sqlitewriters.ImmediateDataSource;
import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.sql.DataSource;

/**
 * One process of {@link SeveralProcesses}: a JVM that writes single-row transactions to the shared
 * file through one strategy from several threads, without pause, until told to stop.
 *
 * <p>It talks to its parent over stdin and stdout, one line each way: after opening it prints
 * {@code READY}; {@code count} answers {@code COUNT committed busy other oldest latencies} for the
 * writes that ended since the last count (latencies as {@link LatencyBuckets#drain()} writes them,
 * failed writes included), with the age in milliseconds of the oldest write still waiting; {@code
 * stop}, or the parent going away, ends the writers and prints {@code TOTAL committed}, the writes
 * it saw commit over its whole life, which the parent checks against the rows in the file.
 *
 * <p>Arguments: database file, strategy (or {@code immediate-data-source} or {@code
 * group-commit-data-source}: each write a JDBC transaction through {@link ImmediateDataSource} or
 * {@link GroupCommitDataSource}), threads, journal mode, synchronous, turns across processes
 * ({@code on} or {@code off}, {@link ExecutorOptions#processTurns()}).
 */
public final class ProcessWriter {
  // AtomicLong, not LongAdder: LongAdder.sumThenReset may drop an increment made while it runs.
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong busy = new AtomicLong();
  private final AtomicLong other = new AtomicLong();
  private final LatencyBuckets latencies = new LatencyBuckets();

  /** Per writer thread, when its write in progress began (System.nanoTime), or 0 between writes. */
  private final AtomicLongArray startedAt;

  private volatile boolean running = true;
  private long committedTotal;

  private ProcessWriter(int threads) {
    startedAt = new AtomicLongArray(threads);
  }

  /** One write of one row, however this process writes. */
  private interface Write extends AutoCloseable {
    void insertOne() throws Exception;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println(
          "usage: ProcessWriter FILE STRATEGY THREADS JOURNAL_MODE SYNCHRONOUS TURNS(on|off)");
      System.exit(2);
    }
    int threads = Integer.parseInt(args[2]);
    SqliteSettings settings = BenchDatabase.settings(Path.of(args[0]), args[3], args[4]);
    ExecutorOptions options = ExecutorOptions.builder().processTurns(args[5].equals("on")).build();
    new ProcessWriter(threads).run(open(args[1], settings, options), threads);
  }

  private static Write open(String strategy, SqliteSettings settings, ExecutorOptions options)
      throws Exception {
    if (strategy.equals(ImmediateDataSource.NAME)) {
      ImmediateDataSource source = ImmediateDataSource.open(settings, options);
      return transactions(source, source::close);
    }
    if (strategy.equals(GroupCommitDataSource.NAME)) {
      GroupCommitDataSource source = GroupCommitDataSource.open(settings, options);
      return transactions(source, source::close);
    }
    WriteExecutor executor = Strategies.open(strategy, settings, options);
    return new Write() {
      @Override
      public void insertOne() throws Exception {
        executor.write(Rows.INSERT_ONE);
      }

      @Override
      public void close() {
        executor.close();
      }
    };
  }

  /** Each write a JDBC transaction through one of the library's DataSources. */
  private static Write transactions(DataSource source, Runnable closeSource) {
    return new Write() {
      @Override
      public void insertOne() throws Exception {
        try (Connection connection = source.getConnection()) {
          connection.setAutoCommit(false);
          Rows.INSERT_ONE.run(connection);
          connection.commit();
        }
      }

      @Override
      public void close() {
        closeSource.run();
      }
    };
  }

  private void run(Write executor, int threads) throws Exception {
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int slot = i;
      Thread writer = new Thread(() -> writeUntilStopped(executor, slot), "process-writer-" + i);
      writer.start();
      writers.add(writer);
    }
    System.out.println("READY");
    System.out.flush();
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine();
        command != null && !command.equals("stop");
        command = commands.readLine()) {
      if (command.equals("count")) {
        long window = committed.getAndSet(0);
        committedTotal += window;
        System.out.println(
            "COUNT "
                + window
                + " "
                + busy.getAndSet(0)
                + " "
                + other.getAndSet(0)
                + " "
                + oldestWaitMillis()
                + " "
                + latencies.drain());
        System.out.flush();
      }
    }
    running = false;
    for (Thread writer : writers) {
      writer.join();
    }
    executor.close();
    System.out.println("TOTAL " + (committedTotal + committed.get()));
    System.out.flush();
  }

  private void writeUntilStopped(Write executor, int slot) {
    while (running) {
      long start = System.nanoTime();
      startedAt.set(slot, start);
      try {
        executor.insertOne();
        committed.incrementAndGet();
      } catch (SqliteBusyException e) {
        busy.incrementAndGet();
      } catch (Exception e) {
        other.incrementAndGet();
      }
      // Failed writes are timed too, as in CommitLatency: a caller waited for its answer.
      latencies.record(System.nanoTime() - start);
      startedAt.set(slot, 0);
    }
  }

  /**
   * How long the oldest write still in progress has waited, in milliseconds: a write a process
   * cannot get through never reaches the latencies, so a starved process shows here instead.
   */
  private long oldestWaitMillis() {
    long now = System.nanoTime();
    long oldest = 0;
    for (int i = 0; i < startedAt.length(); i++) {
      long started = startedAt.get(i);
      if (started != 0) {
        oldest = Math.max(oldest, now - started);
      }
    }
    return oldest / 1_000_000;
  }
}
