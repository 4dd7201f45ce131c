package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.CheckpointPolicy;
import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.ExecutorStats;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Question: under writes at a steady rate with readers that keep overlapping read snapshots open,
 * does the WAL stay bounded, and what does bounding it cost the writes' tail latency?
 *
 * <p>Expected: without a checkpoint policy the WAL grows for the whole run (SQLite's automatic
 * checkpoint cannot rewind it while a reader holds an older snapshot); with the writer-thread
 * strategies' default policy (RESTART above 48 MiB, waiting at most 20 ms for readers) it stays
 * under 64 MiB, and the p99.9 stays within 2x of the same run without readers.
 *
 * <p>Not JMH: the answer is a time series. Each cell runs for the given time: 8 writer threads at a
 * fixed total rate (each write timed from when it was due, so a stall counts in full for every
 * write it delays), 4 readers back to back (a read holding its snapshot 5 ms), a sample every 5 s
 * of the WAL file's size, the window's p99.9 and counts. Cells per strategy: {@code policy} (the
 * default policy), {@code off} (no policy), {@code no-readers} (the policy, no readers: the latency
 * baseline). A 15 s warm-up, not recorded, runs first. Latencies are counted in {@link
 * LatencyBuckets}: a p99.9 is its bucket's upper bound, up to 9 % above the true value. Writes
 * {@code soak-STRATEGY-CELL.csv}, {@code soak.md} and two charts.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.sqlitewriters.bench.WalSoak \
 *   [--minutes 10] [--rate 1000] [--strategies group-commit,serialized-writer] [--out DIR]
 * </pre>
 */
public final class WalSoak {
  static final List<String> CELLS = List.of("policy", "off", "no-readers");
  static final int RATE = 1_000;
  static final List<String> STRATEGIES = Strategies.names(Strategies.Runs.WRITER_THREAD);
  private static final int WRITERS = 8;
  private static final int READERS = 4;
  private static final long READ_HOLD_NANOS = 5_000_000;
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration WARM_UP = Duration.ofSeconds(15);

  /** One sample of a cell's time series. */
  public record Sample(
      double seconds,
      long walBytes,
      double p999Millis,
      long writes,
      long reads,
      long writeFailures,
      long readFailures) {}

  /** One cell's whole run. */
  public record Cell(
      String strategy,
      String cell,
      List<Sample> samples,
      long largestWal,
      double p999Millis,
      ExecutorStats stats) {}

  private WalSoak() {}

  private static final String USAGE =
      "use --minutes M, --rate WRITES_PER_S, --strategies A,B, --out DIR (Sweep --soak runs it)";

  public static void main(String[] args) throws Exception {
    double minutes = 10;
    int rate = RATE;
    List<String> strategies = STRATEGIES;
    Path out = Path.of("results", "local", "soak");
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--minutes" -> minutes = Double.parseDouble(args[++i]);
          case "--rate" -> rate = Integer.parseInt(args[++i]);
          case "--strategies" -> strategies = List.of(args[++i].split(","));
          case "--out" -> out = Path.of(args[++i]);
          case "--help", "-h" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      System.err.println(
          (e instanceof ArrayIndexOutOfBoundsException
                  ? args[args.length - 1] + " needs a value"
                  : e.getMessage())
              + "; "
              + USAGE);
      System.exit(2);
    }
    run(out, Duration.ofSeconds((long) (minutes * 60)), rate, strategies);
  }

  /** Runs every cell of every strategy and writes the results into {@code out}. */
  public static List<Cell> run(Path out, Duration perCell, int rate, List<String> strategies)
      throws Exception {
    Files.createDirectories(out);
    // Compiled code first: the first cell would otherwise carry the JIT's warm-up in its tail.
    Duration warmUp = perCell.compareTo(WARM_UP) < 0 ? perCell : WARM_UP;
    System.out.printf("[soak] warming up for %s (not recorded)%n", warmUp);
    runCell(strategies.get(0), "policy", warmUp, rate);
    List<Cell> cells = new ArrayList<>();
    for (String strategy : strategies) {
      for (String cell : CELLS) {
        System.out.printf("[soak] %s %s, %s at %d writes/s%n", strategy, cell, perCell, rate);
        Cell done = runCell(strategy, cell, perCell, rate);
        writeCsv(out, done);
        cells.add(done);
        System.out.printf(
            "[soak] %s %s: largest WAL %.1f MiB, p99.9 %.2f ms, %d checkpoints (%d incomplete)%n",
            strategy,
            cell,
            done.largestWal() / 1048576.0,
            done.p999Millis(),
            done.stats().checkpointsCompleted(),
            done.stats().checkpointsIncomplete());
      }
    }
    Files.writeString(out.resolve("soak.md"), markdown(cells, perCell, rate));
    SoakCharts.write(cells, out);
    System.out.println(markdown(cells, perCell, rate));
    return cells;
  }

  static Cell runCell(String strategy, String cell, Duration length, int rate) throws Exception {
    CheckpointPolicy policy =
        cell.equals("off") ? CheckpointPolicy.off() : CheckpointPolicy.defaults();
    int readers = cell.equals("no-readers") ? 0 : READERS;
    try (BenchDatabase database = BenchDatabase.create("WAL", "FULL");
        WriteExecutor executor =
            Strategies.open(
                strategy,
                database.settings(),
                ExecutorOptions.builder().checkpointPolicy(policy).build())) {
      Path wal = Path.of(database.settings().path() + "-wal");
      AtomicBoolean running = new AtomicBoolean(true);
      LatencyBuckets window = new LatencyBuckets();
      LatencyBuckets whole = new LatencyBuckets();
      AtomicLong writes = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      AtomicLong writeFailures = new AtomicLong();
      AtomicLong readFailures = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) * WRITERS / rate;
      for (int i = 0; i < WRITERS; i++) {
        long first = start + i * interval / WRITERS;
        threads.add(
            started(
                () ->
                    writeAtRate(
                        executor, first, interval, running, window, whole, writes, writeFailures)));
      }
      for (int i = 0; i < readers; i++) {
        threads.add(started(() -> readBackToBack(executor, running, reads, readFailures)));
      }
      List<Sample> samples = new ArrayList<>();
      long largest = 0;
      long end = start + length.toNanos();
      for (long next = start + SAMPLE_EVERY.toNanos();
          next <= end;
          next += SAMPLE_EVERY.toNanos()) {
        // Look at the WAL every 100 ms, so the largest size between samples is not missed.
        while (System.nanoTime() < next) {
          largest = Math.max(largest, size(wal));
          LockSupport.parkNanos(100_000_000);
        }
        long walBytes = size(wal);
        largest = Math.max(largest, walBytes);
        // drain, not read then clear: a write recorded in between would be lost.
        LatencyBuckets thisWindow = new LatencyBuckets();
        thisWindow.add(window.drain());
        samples.add(
            new Sample(
                (System.nanoTime() - start) / 1e9,
                walBytes,
                thisWindow.quantileNanos(0.999) / 1e6,
                writes.getAndSet(0),
                reads.getAndSet(0),
                writeFailures.getAndSet(0),
                readFailures.getAndSet(0)));
      }
      running.set(false);
      for (Thread thread : threads) {
        thread.join();
      }
      return new Cell(
          strategy, cell, samples, largest, whole.quantileNanos(0.999) / 1e6, executor.stats());
    }
  }

  private static void writeAtRate(
      WriteExecutor executor,
      long first,
      long interval,
      AtomicBoolean running,
      LatencyBuckets window,
      LatencyBuckets whole,
      AtomicLong writes,
      AtomicLong failures) {
    for (long due = first; running.get(); due += interval) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      try {
        executor.write(Rows.INSERT_ONE);
        writes.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        failures.incrementAndGet();
      }
      long took = System.nanoTime() - due;
      window.record(took);
      whole.record(took);
    }
  }

  private static void readBackToBack(
      WriteExecutor executor, AtomicBoolean running, AtomicLong reads, AtomicLong failures) {
    while (running.get()) {
      try {
        executor.read(
            connection -> {
              // read runs in a transaction: the snapshot taken by this SELECT lasts until it ends.
              try (PreparedStatement select = connection.prepareStatement("SELECT max(id) FROM t");
                  ResultSet row = select.executeQuery()) {
                row.next();
              }
              // Hold the snapshot, as a request that reads and then does other work would.
              LockSupport.parkNanos(READ_HOLD_NANOS);
              return null;
            });
        reads.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        failures.incrementAndGet();
      }
    }
  }

  private static Thread started(Runnable body) {
    Thread thread = new Thread(body);
    thread.start();
    return thread;
  }

  private static long size(Path wal) {
    try {
      return Files.exists(wal) ? Files.size(wal) : 0;
    } catch (IOException e) {
      return 0; // truncated or removed between the two looks
    }
  }

  private static void writeCsv(Path out, Cell cell) throws IOException {
    StringBuilder csv =
        new StringBuilder("seconds,wal_bytes,p999_ms,writes,reads,write_failures,read_failures\n");
    for (Sample s : cell.samples()) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%.1f,%d,%.3f,%d,%d,%d,%d%n",
              s.seconds(),
              s.walBytes(),
              s.p999Millis(),
              s.writes(),
              s.reads(),
              s.writeFailures(),
              s.readFailures()));
    }
    Files.writeString(out.resolve("soak-" + cell.strategy() + "-" + cell.cell() + ".csv"), csv);
  }

  static String markdown(List<Cell> cells, Duration perCell, int rate) {
    StringBuilder text =
        new StringBuilder("## WAL size and write latency under overlapping readers\n\n")
            .append(
                String.format(
                    Locale.ROOT,
                    "%s per cell, %d writes/s from %d threads (WAL + FULL), %d readers holding a"
                        + " snapshot 5 ms each back to back; latency from when each write was due."
                        + " Lower is better in every column but the counts.%n%n",
                    perCell,
                    rate,
                    WRITERS,
                    READERS));
    text.append(
        "| strategy | cell | largest WAL MiB | p99.9 ms | x no-readers p99.9 | checkpoints |"
            + " incomplete | write failures | read failures |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Cell c : cells) {
      double baseline =
          cells.stream()
              .filter(b -> b.strategy().equals(c.strategy()) && b.cell().equals("no-readers"))
              .findFirst()
              .map(Cell::p999Millis)
              .orElse(Double.NaN);
      long writeFailed = c.samples().stream().mapToLong(Sample::writeFailures).sum();
      long readFailed = c.samples().stream().mapToLong(Sample::readFailures).sum();
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %.2f | %.2fx | %d | %d | %d | %d |%n",
              c.strategy(),
              c.cell(),
              c.largestWal() / 1048576.0,
              c.p999Millis(),
              c.p999Millis() / baseline,
              c.stats().checkpointsCompleted(),
              c.stats().checkpointsIncomplete(),
              writeFailed,
              readFailed));
    }
    return text.toString();
  }
}
