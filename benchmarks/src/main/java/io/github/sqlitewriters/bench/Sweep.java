package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.report.Environment;
import io.github.sqlitewriters.report.JmhResults;
import io.github.sqlitewriters.report.Report;
import io.github.sqlitewriters.report.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the benchmarks over thread counts and settings, one JMH run per thread count (JMH's -t takes
 * one number per run), writes one JSON file per run into a run folder, and prints the comparison.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.sqlitewriters.bench.Sweep --smoke
 *   --smoke   contended writes at 8 threads, WAL + FULL, every strategy and the bare reference
 *             group commit (about a minute)
 *   --quick   every question at a few thread counts (under 15 minutes)
 *   --full    every question, threads 1 to 64, both journal modes, both sync modes (about 50 min)
 *   --out DIR the run folder (default results/local/MODE-TIMESTAMP)
 *   --verbose JMH's own progress output
 * </pre>
 *
 * <p>Iterations are not synchronized across threads ({@code -si false}): with a strategy that
 * serves waiters unfairly, JMH's synchronized iterations keep the other threads writing until a
 * starved thread gets its turn, which stretched a 2 s iteration past 10 s and reported rates
 * several times too high. The database directory is {@code -Dbench.dir} (default: the temporary
 * directory).
 */
public final class Sweep {

  /** One benchmark class at some thread counts and parameters. */
  record Step(String benchmark, List<Integer> threads, Map<String, String[]> params) {}

  private final String mode;
  private final Path out;
  private final boolean verbose;

  private Sweep(String mode, Path out, boolean verbose) {
    this.mode = mode;
    this.out = out;
    this.verbose = verbose;
  }

  public static void main(String[] args) throws Exception {
    String mode = "quick";
    Path out = null;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke", "--quick", "--full" -> mode = args[i].substring(2);
        case "--out" -> out = Path.of(args[++i]);
        case "--verbose" -> verbose = true;
        default -> {
          System.err.println(
              "unknown argument "
                  + args[i]
                  + "; use --smoke, --quick, --full, --out DIR, --verbose");
          System.exit(2);
        }
      }
    }
    if (out == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      out = Path.of("results", "local", mode + "-" + stamp);
    }
    new Sweep(mode, out, verbose).run(String.join(" ", args));
  }

  private List<Step> plan() {
    List<Step> steps = new ArrayList<>();
    switch (mode) {
      case "smoke" -> {
        steps.add(step("Limits", List.of(), "journalMode", "WAL", "synchronous", "FULL"));
        steps.add(
            step(
                "ContendedWriteThroughput",
                List.of(8),
                "journalMode",
                "WAL",
                "synchronous",
                "FULL"));
        steps.add(step("GroupCommitReference", List.of(8), "synchronous", "FULL"));
      }
      case "quick" -> {
        steps.add(step("Limits", List.of(), "journalMode", "WAL"));
        steps.add(step("ContendedWriteThroughput", List.of(1, 8, 32), "journalMode", "WAL"));
        steps.add(step("GroupCommitReference", List.of(1, 8, 32)));
        steps.add(step("CommitLatency", List.of(8, 32), "synchronous", "FULL"));
        steps.add(step("AsyncSubmitters", List.of()));
        steps.add(step("GroupCommitReferenceAsync", List.of()));
        steps.add(step("ReadThenWriteUpgrade", List.of()));
        steps.add(step("FrameworkTransactions", List.of(8, 32)));
      }
      case "full" -> {
        steps.add(step("Limits", List.of()));
        steps.add(step("ContendedWriteThroughput", List.of(1, 2, 4, 8, 16, 32, 64)));
        steps.add(step("GroupCommitReference", List.of(1, 8, 32, 64)));
        steps.add(step("CommitLatency", List.of(8, 32)));
        steps.add(step("AsyncSubmitters", List.of(), "synchronous", "NORMAL,FULL"));
        steps.add(step("GroupCommitReferenceAsync", List.of(), "synchronous", "NORMAL,FULL"));
        steps.add(step("ReadThenWriteUpgrade", List.of()));
        steps.add(step("FrameworkTransactions", List.of(8, 32)));
        steps.add(step("FlushLoops", List.of()));
        steps.add(step("ReadersDuringWrites", List.of()));
      }
      default -> throw new IllegalArgumentException(mode);
    }
    return steps;
  }

  private static Step step(String benchmark, List<Integer> threads, String... params) {
    Map<String, String[]> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.put(params[i], params[i + 1].split(","));
    }
    return new Step(benchmark, threads, map);
  }

  private void run(String arguments) throws Exception {
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("command.txt"),
        "java -cp benchmarks/target/benchmarks.jar io.github.sqlitewriters.bench.Sweep "
            + arguments
            + "\n"
            + (System.getProperty("bench.dir") == null
                ? ""
                : "# -Dbench.dir=" + System.getProperty("bench.dir") + "\n"));
    Path databases = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
    Files.writeString(out.resolve("environment.md"), Environment.markdown(databases));
    List<Step> steps = plan();
    int total = steps.stream().mapToInt(s -> Math.max(1, s.threads().size())).sum();
    int done = 0;
    for (Step step : steps) {
      List<Integer> threadCounts =
          step.threads().isEmpty() ? java.util.Collections.singletonList(null) : step.threads();
      for (Integer threads : threadCounts) {
        done++;
        String name = step.benchmark() + (threads == null ? "" : "-t" + threads);
        System.out.printf("[sweep %d/%d] %s %s%n", done, total, name, describe(step.params()));
        runJmh(step, threads, out.resolve(name + ".json"));
      }
    }
    Report.write(out);
    System.out.println();
    System.out.println(new Summary(JmhResults.load(out)).markdown());
    System.out.println("Results: " + out.toAbsolutePath());
  }

  private void runJmh(Step step, Integer threads, Path json) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("io\\.github\\.sqlitewriters\\.bench\\." + step.benchmark() + "\\.")
            .forks(1)
            .syncIterations(false)
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
            .jvmArgsAppend(forkFlags());
    if (threads != null) {
      options.threads(threads);
    }
    step.params().forEach(options::param);
    options
        .warmupIterations(mode.equals("full") ? 2 : 1)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(mode.equals("smoke") ? 2 : 3)
        .measurementTime(TimeValue.seconds(mode.equals("smoke") ? 1 : 2));
    new Runner(options.build()).run();
  }

  private static String[] forkFlags() {
    List<String> flags = new ArrayList<>(List.of("-Xmx2g"));
    if (System.getProperty("bench.dir") != null) {
      flags.add("-Dbench.dir=" + System.getProperty("bench.dir"));
    }
    if (Runtime.version().feature() >= 24) {
      flags.add("--enable-native-access=ALL-UNNAMED");
    }
    return flags.toArray(new String[0]);
  }

  private static String describe(Map<String, String[]> params) {
    StringBuilder text = new StringBuilder();
    params.forEach((k, v) -> text.append(k).append('=').append(String.join(",", v)).append(' '));
    return text.toString().trim();
  }
}
