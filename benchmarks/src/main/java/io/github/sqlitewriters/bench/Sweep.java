package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.report.Environment;
import io.github.sqlitewriters.report.JmhResults;
import io.github.sqlitewriters.report.Report;
import io.github.sqlitewriters.report.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *   --smoke   contended writes at 8 threads, WAL + FULL, every strategy, the bare reference
 *             group commit and durable PostgreSQL (about a minute)
 *   --quick   every question at a few thread counts, one PostgreSQL, one several-process and one
 *             virtual-thread cell (under 15 minutes)
 *   --full    every question, threads 1 to 64, both journal modes, both sync modes, PostgreSQL at
 *             1 to 64 clients, 1, 2 and 4 processes with turns on and off, 1,000 and 10,000
 *             virtual threads, 0 to 10 million rows (about 2 hours)
 *   --only S1,S2  only the mode's steps with these names: a benchmark class, or the class and
 *             -virtual for its virtual-thread cells (e.g. PostgresComparison,CommitLatency-virtual)
 *   --sizes   contended writes into tables preloaded with 0, 1 and 10 million rows (in --full too)
 *   --soak    the WAL soak ({@link WalSoak}): 10 minutes per strategy and cell, about an hour
 *   --soak-minutes M  minutes per soak cell
 *   --out DIR the run folder (default results/local/MODE-TIMESTAMP)
 *   --virtual-jdk JDK_HOME  the JDK 21+ for the virtual-thread cells (default: this one if it is
 *             21+, else the newest found under /usr/lib/jvm or beside this JDK)
 *   --verbose JMH's own progress output
 * </pre>
 *
 * <p>What this machine cannot run is skipped with one line, the rest runs: PostgreSQL cells when no
 * server starts here (its binaries in the jar are for Linux x86-64), virtual-thread cells when no
 * JDK 21+ is found. The virtual-thread cells fork into that JDK; each result file records the JDK
 * that produced it.
 *
 * <p>A full run's cell is exactly {@code java -jar benchmarks.jar CLASS -t N -p ...}: the benchmark
 * classes' annotations hold the full mode's warm-up and measurement, and quick and smoke runs
 * shorten them.
 *
 * <p>Iterations are not synchronized across threads ({@code -si false}): with a strategy that
 * serves waiters unfairly, JMH's synchronized iterations keep the other threads writing until a
 * starved thread gets its turn, which stretched a 2 s iteration past 10 s and reported rates
 * several times too high. The database directory is {@code -Dbench.dir} (default: the temporary
 * directory).
 */
public final class Sweep {

  /** Who runs JMH's benchmark threads in a step. */
  enum Callers {
    PLATFORM,
    /** JMH's {@code -Djmh.executor=VIRTUAL}, in a JDK 21+ fork. */
    VIRTUAL
  }

  /**
   * One benchmark class at some thread counts and parameters.
   *
   * @param oneLongIteration measure one long iteration instead of several: for counters that
   *     describe an iteration (a p99.9, a share), which JMH would add up across iterations
   */
  record Step(
      String benchmark,
      List<Integer> threads,
      Map<String, String[]> params,
      Callers callers,
      boolean oneLongIteration,
      String label) {

    /** The step's name: its benchmark, and "-virtual" for virtual-thread callers. */
    String name() {
      return benchmark + (callers == Callers.VIRTUAL ? "-virtual" : "");
    }

    /** The name of the step's result files: its name, and its label if another step shares it. */
    String fileName(Integer threadCount) {
      return name() + label + (threadCount == null ? "" : "-t" + threadCount);
    }

    Step virtual() {
      return new Step(benchmark, threads, params, Callers.VIRTUAL, oneLongIteration, label);
    }

    Step longIteration() {
      return new Step(benchmark, threads, params, callers, true, label);
    }

    Step labelled(String suffix) {
      return new Step(benchmark, threads, params, callers, oneLongIteration, "-" + suffix);
    }

    /** Whether the step starts PostgreSQL servers (PostgresComparison's postgres systems). */
    boolean needsPostgres() {
      return benchmark.equals(POSTGRES_STEP)
          && (!params.containsKey("system")
              || Arrays.stream(params.get("system")).anyMatch(s -> s.startsWith("postgres")));
    }

    /** The step with its PostgreSQL systems removed, or empty if nothing else is left. */
    Optional<Step> withoutPostgres() {
      String[] sqlite =
          Arrays.stream(params.getOrDefault("system", SQLITE_SYSTEMS))
              .filter(s -> !s.startsWith("postgres"))
              .toArray(String[]::new);
      if (sqlite.length == 0) {
        return Optional.empty();
      }
      Map<String, String[]> rest = new LinkedHashMap<>(params);
      rest.put("system", sqlite);
      return Optional.of(new Step(benchmark, threads, rest, callers, oneLongIteration, label));
    }
  }

  private static final String POSTGRES_STEP = "PostgresComparison";
  private static final String[] SQLITE_SYSTEMS = {"group-commit", "immediate", "single-connection"};

  /**
   * The strategies measured with virtual-thread callers: those whose waiters do not pin carriers.
   */
  private static final String VIRTUAL_STRATEGIES =
      "single-connection,immediate,serialized-writer,group-commit";

  private final String mode;
  private final Path out;
  private final boolean verbose;
  private final Path virtualJdkHome;
  private final List<String> only;
  private Jdk virtualJdk;

  private Sweep(String mode, Path out, boolean verbose, Path virtualJdkHome, List<String> only) {
    this.mode = mode;
    this.out = out;
    this.verbose = verbose;
    this.virtualJdkHome = virtualJdkHome;
    this.only = only;
  }

  private static final String USAGE =
      "use --smoke, --quick, --full, --sizes or --soak; and --soak-minutes M, --only STEP1,STEP2,"
          + " --out DIR, --virtual-jdk JDK_HOME, --verbose";

  public static void main(String[] args) throws Exception {
    String mode = "quick";
    Path out = null;
    boolean verbose = false;
    Path virtualJdk = null;
    List<String> only = List.of();
    double soakMinutes = 10;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--smoke", "--quick", "--full", "--sizes", "--soak" -> mode = args[i].substring(2);
          case "--soak-minutes" -> soakMinutes = positive(args[i], value(args, ++i));
          case "--out" -> out = Path.of(value(args, ++i));
          case "--virtual-jdk" -> virtualJdk = Path.of(value(args, ++i));
          case "--only" -> only = List.of(value(args, ++i).split(","));
          case "--verbose" -> verbose = true;
          case "--help", "-h" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "; " + USAGE);
      System.exit(2);
    }
    if (out == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      out = Path.of("results", "local", mode + "-" + stamp);
    }
    Sweep sweep = new Sweep(mode, out, verbose, virtualJdk, only);
    if (mode.equals("soak")) {
      sweep.soak(String.join(" ", args), Duration.ofSeconds((long) (soakMinutes * 60)));
    } else {
      List<String> names = sweep.plan().stream().map(Step::name).distinct().toList();
      List<String> unknown = only.stream().filter(name -> !names.contains(name)).toList();
      if (!unknown.isEmpty()) {
        System.err.println(
            "--only: no step of --" + mode + " is named " + unknown + "; its steps: " + names);
        System.exit(2);
      }
      sweep.run(String.join(" ", args));
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static double positive(String option, String value) {
    double number;
    try {
      number = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a number, not " + value);
    }
    if (!(number > 0) || Double.isInfinite(number)) {
      throw new IllegalArgumentException(option + " must be a positive number, not " + value);
    }
    return number;
  }

  /**
   * The strategies whose statement-task cells the full run measures: the one that batches them and
   * the one that runs them as ordinary work in the caller's turn.
   */
  private static final String STATEMENT_TASK_STRATEGIES = "group-commit,immediate";

  /** The writers that take turns across processes, each alone in one process. */
  private static final String ONE_PROCESS_WRITERS =
      "group-commit,immediate,serialized-writer,immediate-data-source,group-commit-data-source";

  /** The same writers in several processes, and all of them on one file. */
  private static final String PROCESS_TURN_WRITERS =
      ONE_PROCESS_WRITERS + "," + SeveralProcesses.MIXED;

  /**
   * What each mode runs, in order: the plan as data, one row a step, so that a mode reads as a list
   * and a step is added in one place.
   */
  private static final Map<String, List<Step>> PLANS =
      Map.of(
          "smoke",
          List.of(
              step("Limits", List.of(), "journalMode", "WAL", "synchronous", "FULL"),
              step(
                  "ContendedWriteThroughput",
                  List.of(8),
                  "journalMode",
                  "WAL",
                  "synchronous",
                  "FULL"),
              step("GroupCommitReference", List.of(8), "synchronous", "FULL"),
              step(POSTGRES_STEP, List.of(8), "system", "postgres", "synchronous", "FULL")),
          "quick",
          List.of(
              step("Limits", List.of(), "journalMode", "WAL"),
              step("ContendedWriteThroughput", List.of(1, 8, 32), "journalMode", "WAL"),
              step("GroupCommitReference", List.of(1, 8, 32)),
              step("CommitLatency", List.of(8, 32), "synchronous", "FULL"),
              step("AsyncSubmitters", List.of()),
              step("GroupCommitReferenceAsync", List.of()),
              step("ReadThenWriteUpgrade", List.of()),
              step("FrameworkTransactions", List.of(8, 32)),
              step(
                  POSTGRES_STEP,
                  List.of(32),
                  "system",
                  "group-commit,postgres",
                  "synchronous",
                  "FULL"),
              step(
                      "SeveralProcesses",
                      List.of(),
                      "strategy",
                      "group-commit,single-connection",
                      "processes",
                      "2",
                      "threadsPerProcess",
                      "4")
                  .longIteration(),
              step(
                      "ContendedWriteThroughput",
                      List.of(1_000),
                      "strategy",
                      "immediate,group-commit",
                      "journalMode",
                      "WAL",
                      "synchronous",
                      "FULL")
                  .virtual()),
          "full",
          List.of(
              step("Limits", List.of()),
              step("ContendedWriteThroughput", List.of(1, 2, 4, 8, 16, 32, 64)),
              step("GroupCommitReference", List.of(1, 8, 32, 64)),
              step("CommitLatency", List.of(8, 32)),
              step("AsyncSubmitters", List.of(), "synchronous", "NORMAL,FULL"),
              step(
                  "AsyncStatementSubmitters",
                  List.of(),
                  "strategy",
                  STATEMENT_TASK_STRATEGIES,
                  "synchronous",
                  "NORMAL,FULL"),
              step("GroupCommitReferenceAsync", List.of(), "synchronous", "NORMAL,FULL"),
              step(
                  "ContendedStatementWrites",
                  List.of(8, 32, 64),
                  "strategy",
                  STATEMENT_TASK_STRATEGIES,
                  "synchronous",
                  "NORMAL,FULL"),
              step("ReadThenWriteUpgrade", List.of()),
              step("FrameworkTransactions", List.of(8, 32, 64), "synchronous", "NORMAL,FULL"),
              step("FlushLoops", List.of()),
              step("ReadersDuringWrites", List.of()),
              step(POSTGRES_STEP, List.of(1, 8, 32, 64), "synchronous", "FULL").labelled("FULL"),
              step(
                      POSTGRES_STEP,
                      List.of(1, 8, 32, 64),
                      "system",
                      "group-commit,immediate,single-connection,postgres",
                      "synchronous",
                      "NORMAL")
                  .labelled("NORMAL"),
              severalProcesses("WAL", "FULL", "on", PROCESS_TURN_WRITERS, "2,4", "4,8"),
              severalProcesses("DELETE", "NORMAL", "on", PROCESS_TURN_WRITERS, "2,4", "4,8"),
              severalProcesses("WAL", "FULL", "off", PROCESS_TURN_WRITERS, "4", "8"),
              severalProcesses("DELETE", "NORMAL", "off", PROCESS_TURN_WRITERS, "4", "8"),
              severalProcesses("WAL", "FULL", "on", ONE_PROCESS_WRITERS, "1", "8"),
              severalProcesses("DELETE", "NORMAL", "on", ONE_PROCESS_WRITERS, "1", "8"),
              step(
                      "SeveralProcesses",
                      List.of(),
                      "strategy",
                      "single-connection,deferred-busy-timeout")
                  .longIteration()
                  .labelled("unsafe"),
              step("LargerDatabases", List.of(8, 32)),
              thousandsOfVirtualThreads("ContendedWriteThroughput"),
              thousandsOfVirtualThreads("CommitLatency")),
          "sizes",
          List.of(step("LargerDatabases", List.of(8, 32))));

  /**
   * Several-process cells of the full run in one journal mode, with turns on or off (the figures
   * before turns, in the same run); one process is the one-process figure.
   */
  private static Step severalProcesses(
      String journalMode,
      String synchronous,
      String turns,
      String writers,
      String processes,
      String threadsPerProcess) {
    return step(
            "SeveralProcesses",
            List.of(),
            "strategy",
            writers,
            "turns",
            turns,
            "processes",
            processes,
            "threadsPerProcess",
            threadsPerProcess,
            "journalMode",
            journalMode,
            "synchronous",
            synchronous)
        .longIteration()
        .labelled(
            journalMode
                + "-"
                + synchronous
                + (processes.equals("1") ? "-one-process" : "")
                + (turns.equals("off") ? "-turns-off" : ""));
  }

  private List<Step> plan() {
    List<Step> steps = PLANS.get(mode);
    if (steps == null) {
      throw new IllegalArgumentException(mode);
    }
    return steps;
  }

  /** The full run's virtual-thread step of a benchmark: 1,000 and 10,000 callers, WAL + FULL. */
  private static Step thousandsOfVirtualThreads(String benchmark) {
    return step(
            benchmark,
            List.of(1_000, 10_000),
            "strategy",
            VIRTUAL_STRATEGIES,
            "journalMode",
            "WAL",
            "synchronous",
            "FULL")
        .virtual();
  }

  private static Step step(String benchmark, List<Integer> threads, String... params) {
    Map<String, String[]> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.put(params[i], params[i + 1].split(","));
    }
    return new Step(benchmark, threads, map, Callers.PLATFORM, false, "");
  }

  /** Refuses a folder that holds results, then writes command.txt and environment.md into it. */
  private void describeRun(String arguments) throws Exception {
    if (Files.isDirectory(out)) {
      try (var files = Files.list(out)) {
        if (files.anyMatch(f -> f.toString().endsWith(".json"))) {
          System.err.println(out + " already holds results; choose a new --out folder");
          System.exit(2);
        }
      }
    }
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
    Files.writeString(
        out.resolve("environment.md"), Environment.markdown(databases, BenchDatabase.SCHEMA));
  }

  /** The soak: a time series per strategy and cell, not JMH; see {@link WalSoak}. */
  private void soak(String arguments, Duration perCell) throws Exception {
    describeRun(arguments);
    WalSoak.run(out, perCell, WalSoak.RATE, WalSoak.STRATEGIES);
    System.out.println("Results: " + out.toAbsolutePath());
  }

  private void run(String arguments) throws Exception {
    describeRun(arguments);
    List<Step> steps =
        runnable(plan().stream().filter(s -> only.isEmpty() || only.contains(s.name())).toList());
    if (steps.isEmpty()) {
      System.err.println("nothing to run here: every step asked for was skipped (see above)");
      System.exit(2);
    }
    int total = steps.stream().mapToInt(s -> Math.max(1, s.threads().size())).sum();
    java.util.Set<String> written = new java.util.HashSet<>();
    int done = 0;
    try {
      for (Step step : steps) {
        List<Integer> threadCounts =
            step.threads().isEmpty() ? java.util.Collections.singletonList(null) : step.threads();
        for (Integer threads : threadCounts) {
          done++;
          String name = step.fileName(threads);
          if (!written.add(name)) {
            // Two steps writing one file would leave only the second's results: a plan mistake.
            throw new IllegalStateException("two steps of the plan write " + name + ".json");
          }
          System.out.printf("[sweep %d/%d] %s %s%n", done, total, name, describe(step.params()));
          runJmh(step, threads, out.resolve(name + ".json"));
        }
      }
    } finally {
      // Templates of preloaded rows (about 1 GB): gone whether the run finished or failed.
      PreloadedTemplates.deleteAll();
    }

    Report.write(out);
    System.out.println();
    System.out.println(new Summary(JmhResults.load(out)).markdown());
    System.out.println("Results: " + out.toAbsolutePath());
  }

  /**
   * The plan without what this machine cannot run, each omission said in one line: PostgreSQL cells
   * when no server starts here, virtual-thread cells when no JDK 21+ is found.
   */
  private List<Step> runnable(List<Step> plan) {
    List<Step> steps = new ArrayList<>();
    Optional<String> noPostgres =
        plan.stream().anyMatch(Step::needsPostgres)
            ? PostgresServer.unavailableReason()
            : Optional.empty();
    noPostgres.ifPresent(why -> System.out.println("PostgreSQL cells skipped: " + why));
    Optional<Jdk> virtualJdk = Jdk.withVirtualThreads(virtualJdkHome);
    for (Step step : plan) {
      if (step.callers() == Callers.VIRTUAL && virtualJdk.isEmpty()) {
        System.out.println(
            "virtual-thread cells of "
                + step.benchmark()
                + " skipped: no JDK "
                + Jdk.VIRTUAL_THREADS
                + "+ found (run the Sweep on one, or pass --virtual-jdk JDK_HOME)");
      } else if (step.needsPostgres() && noPostgres.isPresent()) {
        step.withoutPostgres().ifPresent(steps::add);
      } else {
        steps.add(step);
      }
    }
    this.virtualJdk = virtualJdk.orElse(null);
    return steps;
  }

  private void runJmh(Step step, Integer threads, Path json) throws RunnerException {
    Jdk jdk = step.callers() == Callers.VIRTUAL ? virtualJdk : Jdk.current();
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("io\\.github\\.sqlitewriters\\.bench\\." + step.benchmark() + "\\.")
            .forks(1)
            .syncIterations(false)
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
            .jvm(jdk.java().toString())
            .jvmArgsAppend(forkFlags(jdk, step.callers()));
    if (threads != null) {
      options.threads(threads);
    }
    step.params().forEach(options::param);
    if (!mode.equals("full")) {
      // The benchmark classes' annotations hold the full mode's iterations, so that a full cell
      // is what `java -jar benchmarks.jar CLASS -t N -p ...` runs; quick and smoke shorten them.
      shorten(options, step.oneLongIteration());
    }
    new Runner(options.build()).run();
  }

  /** Quick and smoke runs: fewer and shorter iterations than the annotations' full ones. */
  private void shorten(ChainedOptionsBuilder options, boolean oneLongIteration) {
    if (oneLongIteration) {
      options
          .warmupIterations(1)
          .warmupTime(TimeValue.seconds(2))
          .measurementIterations(1)
          .measurementTime(TimeValue.seconds(6));
    } else {
      options
          .warmupIterations(1)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(mode.equals("smoke") ? 2 : 3)
          .measurementTime(TimeValue.seconds(mode.equals("smoke") ? 1 : 2));
    }
  }

  private static String[] forkFlags(Jdk jdk, Callers callers) {
    List<String> flags = new ArrayList<>(List.of("-Xmx2g"));
    for (String property : List.of("bench.dir", PostgresBinaries.PROPERTY)) {
      if (System.getProperty(property) != null) {
        flags.add("-D" + property + "=" + System.getProperty(property));
      }
    }
    if (callers == Callers.VIRTUAL) {
      flags.add("-Djmh.executor=VIRTUAL");
    }
    flags.addAll(jdk.flags());
    return flags.toArray(new String[0]);
  }

  private static String describe(Map<String, String[]> params) {
    StringBuilder text = new StringBuilder();
    params.forEach((k, v) -> text.append(k).append('=').append(String.join(",", v)).append(' '));
    return text.toString().trim();
  }
}
