package io.github.sqlitewriters.report;

import io.github.sqlitewriters.Strategies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a run's JMH results into one Markdown table per question, each stating its unit and which
 * direction is better, with every strategy's ratio to {@code single-connection} and to the limit of
 * one connection measured in the same run. The Sweep prints it; the Report writes it to summary.md.
 */
public final class Summary {
  static final String BASELINE = Strategies.SINGLE_CONNECTION;

  private final List<JmhResult> results;

  public Summary(List<JmhResult> results) {
    this.results = List.copyOf(results);
  }

  /** Every table this run has data for, as Markdown. */
  public String markdown() {
    StringBuilder text = new StringBuilder();
    contendedThroughput(text);
    latency(text);
    asyncSubmitters(text);
    StatementTaskTables.markdown(this, results, text);
    againstReference(text);
    FrameworkTables.markdown(results, text);
    new Comparisons(results).markdown(text);
    ProcessTables.markdown(results, text);
    readThenWrite(text);
    flushLoops(text);
    readersDuringWrites(text);
    limits(text);
    return text.toString();
  }

  private List<JmhResult> of(String benchmark) {
    return results.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
  }

  /** The cells run by platform threads; the virtual-thread cells have a table of their own. */
  private List<JmhResult> platformCallers(String benchmark) {
    return of(benchmark).stream().filter(r -> !r.virtualCallers()).toList();
  }

  /** Single-row autocommit and executeBatch limits, by journal mode and synchronous. */
  Optional<JmhResult> limit(String method, String journalMode, String synchronous) {
    return of("Limits").stream()
        .filter(
            r ->
                r.method().equals(method)
                    && r.param("journalMode").equals(journalMode)
                    && r.param("synchronous").equals(synchronous))
        .findFirst();
  }

  private static List<String> strategiesIn(List<JmhResult> rows) {
    List<String> present = rows.stream().map(r -> r.param("strategy")).distinct().toList();
    List<String> ordered = new ArrayList<>();
    for (String name : Strategies.names()) {
      if (present.contains(name)) {
        ordered.add(name);
      }
    }
    return ordered;
  }

  private void contendedThroughput(StringBuilder text) {
    List<JmhResult> rows = platformCallers("ContendedWriteThroughput");
    if (rows.isEmpty()) {
      return;
    }
    text.append("## Contended write throughput\n\n")
        .append("Committed single-row write transactions per second (higher is better), by")
        .append(" writer threads. `busy/iter` is the most busy failures in one measurement")
        .append(" iteration across thread counts (lower is better; 0 is the only acceptable")
        .append(" value for a safe strategy). Ratios are to `single-connection` at the same")
        .append(" thread count and to one thread's single-row autocommit limit.\n\n");
    Map<String, List<JmhResult>> groups =
        groupBy(rows, r -> r.param("journalMode") + " + " + r.param("synchronous"));
    for (Map.Entry<String, List<JmhResult>> group : groups.entrySet()) {
      List<JmhResult> cells = group.getValue();
      TreeSet<Integer> threads =
          cells.stream().map(JmhResult::threads).collect(Collectors.toCollection(TreeSet::new));
      int most = threads.last();
      List<String> header = new ArrayList<>(List.of("strategy"));
      threads.forEach(t -> header.add(t + (t == 1 ? " thread" : " threads")));
      header.add("x " + BASELINE + " @" + most);
      header.add("x autocommit limit @" + most);
      header.add("busy/iter");
      MarkdownTable table = new MarkdownTable(header);
      String[] mode = group.getKey().split(" \\+ ");
      double autocommit =
          limit("singleRowAutocommit", mode[0], mode[1]).map(JmhResult::score).orElse(Double.NaN);
      for (String strategy : strategiesIn(cells)) {
        List<String> row = new ArrayList<>(List.of(strategy));
        double maxBusy = 0;
        for (int t : threads) {
          Optional<JmhResult> cell = find(cells, strategy, t);
          row.add(
              cell.map(c -> MarkdownTable.number(c.secondaryScore(Counters.COMMITTED)))
                  .orElse("-"));
          maxBusy =
              Math.max(
                  maxBusy, cell.map(c -> c.mostInOneIteration(Counters.BUSY_FAILURES)).orElse(0.0));
        }
        double at =
            find(cells, strategy, most)
                .map(c -> c.secondaryScore(Counters.COMMITTED))
                .orElse(Double.NaN);
        double base =
            find(cells, BASELINE, most)
                .map(c -> c.secondaryScore(Counters.COMMITTED))
                .orElse(Double.NaN);
        row.add(MarkdownTable.ratio(at / base));
        row.add(MarkdownTable.ratio(at / autocommit));
        row.add(MarkdownTable.number(maxBusy));
        table.row(row);
      }
      text.append("### ").append(group.getKey()).append("\n\n").append(table).append('\n');
    }
  }

  private void latency(StringBuilder text) {
    List<JmhResult> rows = platformCallers("CommitLatency");
    if (rows.isEmpty()) {
      return;
    }
    text.append("## Commit latency\n\n")
        .append("Time from calling `write` to its return, in milliseconds (lower is better),")
        .append(" sampled by JMH. Failed calls are timed too; see the busy columns elsewhere.\n\n");
    for (Map.Entry<String, List<JmhResult>> group :
        groupBy(rows, r -> r.param("journalMode") + " + " + r.param("synchronous")).entrySet()) {
      MarkdownTable table =
          new MarkdownTable(
              "strategy",
              "threads",
              "p50 ms",
              "p99 ms",
              "p99.9 ms",
              "max ms",
              "p99.9 x " + BASELINE);
      List<JmhResult> cells = group.getValue();
      TreeSet<Integer> threads =
          cells.stream().map(JmhResult::threads).collect(Collectors.toCollection(TreeSet::new));
      for (int t : threads) {
        for (String strategy : strategiesIn(cells)) {
          Optional<JmhResult> cell = find(cells, strategy, t);
          if (cell.isEmpty()) {
            continue;
          }
          double p999 = millis(cell.get(), "99.9");
          double base = find(cells, BASELINE, t).map(c -> millis(c, "99.9")).orElse(Double.NaN);
          table.row(
              strategy,
              Integer.toString(t),
              MarkdownTable.number(millis(cell.get(), "50.0")),
              MarkdownTable.number(millis(cell.get(), "99.0")),
              MarkdownTable.number(p999),
              MarkdownTable.number(millis(cell.get(), "100.0")),
              MarkdownTable.ratio(p999 / base));
        }
      }
      text.append("### ").append(group.getKey()).append("\n\n").append(table).append('\n');
    }
  }

  private void asyncSubmitters(StringBuilder text) {
    List<JmhResult> rows = of("AsyncSubmitters");
    if (rows.isEmpty()) {
      return;
    }
    text.append("## Asynchronous submitters\n\n")
        .append("Committed rows per second (higher is better) when callers keep many `submit`")
        .append(" futures in flight, against one connection's executeBatch limit (1000 rows per")
        .append(" transaction) in the same run.\n\n");
    MarkdownTable table =
        new MarkdownTable(
            "strategy",
            "journal + sync",
            "threads",
            "rows/s",
            "x " + BASELINE,
            "of executeBatch limit",
            "busy/iter");
    for (JmhResult r : sorted(rows)) {
      double limit =
          limit(
                  "executeBatch1000RowsPerTransaction",
                  r.param("journalMode"),
                  r.param("synchronous"))
              .map(JmhResult::score)
              .orElse(Double.NaN);
      double base =
          rows.stream()
              .filter(b -> b.param("strategy").equals(BASELINE) && sameSettings(b, r))
              .findFirst()
              .map(b -> b.secondaryScore(Counters.COMMITTED))
              .orElse(Double.NaN);
      double committed = r.secondaryScore(Counters.COMMITTED);
      table.row(
          r.param("strategy"),
          r.param("journalMode") + " + " + r.param("synchronous"),
          Integer.toString(r.threads()),
          MarkdownTable.number(committed),
          MarkdownTable.ratio(committed / base),
          Double.isNaN(limit) ? "-" : String.format("%.0f %%", 100 * committed / limit),
          MarkdownTable.number(r.mostInOneIteration(Counters.BUSY_FAILURES)));
    }
    text.append(table).append('\n');
  }

  /** One row of the reference table: a bare group commit's cell and the executor's beside it. */
  private record AgainstReference(
      String reference, String referenceMethod, String strategyBenchmark, String callers) {}

  /**
   * group-commit against the bare hundred-line group commit (ReferenceGroupCommit) in the same run
   * and cell: what the executor's guarantees cost. Waiting callers from ContendedWriteThroughput,
   * asynchronous submitters from AsyncSubmitters, and statement tasks from AsyncStatementSubmitters
   * against the reference that runs each batch as one executeBatch.
   */
  private void againstReference(StringBuilder text) {
    List<AgainstReference> pairs =
        List.of(
            new AgainstReference(
                "GroupCommitReference",
                "insertOneRow",
                "ContendedWriteThroughput",
                "waiting callers"),
            new AgainstReference(
                "GroupCommitReferenceAsync", "submitWindow", "AsyncSubmitters", "async submitters"),
            new AgainstReference(
                "GroupCommitReferenceAsync",
                "submitWindowAsOneBatch",
                "AsyncStatementSubmitters",
                "async statement tasks"));
    MarkdownTable table =
        new MarkdownTable(
            "callers", "threads", "journal + sync", "group-commit", "reference", "ratio");
    boolean any = false;
    for (AgainstReference pair : pairs) {
      List<JmhResult> references =
          of(pair.reference()).stream()
              .filter(r -> r.method().equals(pair.referenceMethod()))
              .toList();
      for (JmhResult reference : sorted(references)) {
        Optional<JmhResult> strategy =
            of(pair.strategyBenchmark()).stream()
                .filter(
                    r ->
                        r.param("strategy").equals(Strategies.GROUP_COMMIT)
                            && r.threads() == reference.threads()
                            && sameSettings(r, reference))
                .findFirst();
        if (strategy.isEmpty()) {
          continue;
        }
        double ours = strategy.get().secondaryScore(Counters.COMMITTED);
        double bare = reference.secondaryScore(Counters.COMMITTED);
        table.row(
            pair.callers(),
            Integer.toString(reference.threads()),
            reference.param("journalMode") + " + " + reference.param("synchronous"),
            MarkdownTable.number(ours),
            MarkdownTable.number(bare),
            MarkdownTable.ratio(ours / bare));
        any = true;
      }
    }
    if (any) {
      text.append("## group-commit against a bare group commit\n\n")
          .append("Committed rows per second (higher is better) of `group-commit` and of the")
          .append(" simplest correct group commit (one writer thread, one BEGIN IMMEDIATE and")
          .append(" COMMIT per batch, one cached INSERT, nothing else; for statement tasks, each")
          .append(" batch one executeBatch) in the same run and cell; the ratio is what the")
          .append(" executor's guarantees cost (1.00x or more is the target).\n\n")
          .append(table)
          .append('\n');
    }
  }

  private void readThenWrite(StringBuilder text) {
    List<JmhResult> rows = of("ReadThenWriteUpgrade");
    if (rows.isEmpty()) {
      return;
    }
    text.append("## Read-then-write transactions\n\n")
        .append("Transactions that read before they write: committed per second (higher is")
        .append(
            " better) and the most busy failures in one measured iteration (lower is better).\n\n");
    MarkdownTable table =
        new MarkdownTable("strategy", "journal + sync", "threads", "committed/s", "busy/iter");
    for (JmhResult r : sorted(rows)) {
      table.row(
          r.param("strategy"),
          r.param("journalMode") + " + " + r.param("synchronous"),
          Integer.toString(r.threads()),
          MarkdownTable.number(r.secondaryScore(Counters.COMMITTED)),
          MarkdownTable.number(r.mostInOneIteration(Counters.BUSY_FAILURES)));
    }
    text.append(table).append('\n');
  }

  private void flushLoops(StringBuilder text) {
    List<JmhResult> rows =
        of("FlushLoops").stream().filter(r -> r.method().equals("flushLoops")).toList();
    if (rows.isEmpty()) {
      return;
    }
    text.append("## Flush loops (the original bug's workload)\n\n")
        .append("Request writes committed per second (higher is better) beside two loops")
        .append(" flushing 100-row batches; flushes committed and failed, the most in one measured")
        .append(" iteration (failed:")
        .append(" lower is better).\n\n");
    MarkdownTable table =
        new MarkdownTable(
            "strategy",
            "journal + sync",
            "requests/s",
            "request busy/iter",
            "flushes/iter",
            "flush failures/iter");
    for (JmhResult r : sorted(rows)) {
      table.row(
          r.param("strategy"),
          r.param("journalMode") + " + " + r.param("synchronous"),
          MarkdownTable.number(r.secondaryScore(Counters.COMMITTED)),
          MarkdownTable.number(r.mostInOneIteration(Counters.BUSY_FAILURES)),
          MarkdownTable.number(r.mostInOneIteration(Counters.FLUSHES_COMMITTED)),
          MarkdownTable.number(r.mostInOneIteration(Counters.FLUSH_FAILURES)));
    }
    text.append(table).append('\n');
  }

  private void readersDuringWrites(StringBuilder text) {
    List<JmhResult> rows =
        of("ReadersDuringWrites").stream().filter(r -> r.method().equals("readWrite")).toList();
    if (rows.isEmpty()) {
      return;
    }
    text.append("## Readers during writes\n\n")
        .append("Two reader and two writer threads: reads and committed writes per second")
        .append(" (higher is better), failures per second (lower is better).\n\n");
    MarkdownTable table =
        new MarkdownTable(
            "strategy",
            "journal + sync",
            "reads/s",
            "read failures/s",
            "writes/s",
            "write busy/iter");
    for (JmhResult r : sorted(rows)) {
      table.row(
          r.param("strategy"),
          r.param("journalMode") + " + " + r.param("synchronous"),
          MarkdownTable.number(r.secondaryScore(Counters.READS)),
          MarkdownTable.number(r.secondaryScore(Counters.READ_FAILURES)),
          MarkdownTable.number(r.secondaryScore(Counters.COMMITTED)),
          MarkdownTable.number(r.mostInOneIteration(Counters.BUSY_FAILURES)));
    }
    text.append(table).append('\n');
  }

  private void limits(StringBuilder text) {
    List<JmhResult> rows = of("Limits");
    if (rows.isEmpty()) {
      return;
    }
    text.append("## The limits of one connection\n\n")
        .append("One thread, one connection, no executor: rows per second (higher is better).\n\n");
    MarkdownTable table = new MarkdownTable("case", "journal + sync", "rows/s", "± (99.9 %)");
    for (JmhResult r : rows.stream().sorted(Comparator.comparing(JmhResult::key)).toList()) {
      table.row(
          r.method(),
          r.param("journalMode") + " + " + r.param("synchronous"),
          MarkdownTable.number(r.score()),
          MarkdownTable.number(r.error()));
    }
    text.append(table).append('\n');
  }

  /** Whether two cells ran at the same threads, journal mode and synchronous setting. */
  static boolean sameSettings(JmhResult a, JmhResult b) {
    return a.threads() == b.threads()
        && a.param("journalMode").equals(b.param("journalMode"))
        && a.param("synchronous").equals(b.param("synchronous"));
  }

  private static List<JmhResult> sorted(List<JmhResult> rows) {
    List<String> order = Strategies.names();
    return rows.stream()
        .sorted(
            Comparator.comparing((JmhResult r) -> r.param("journalMode") + r.param("synchronous"))
                .thenComparing(JmhResult::threads)
                .thenComparing(r -> order.indexOf(r.param("strategy"))))
        .toList();
  }

  private static Optional<JmhResult> find(List<JmhResult> cells, String strategy, int threads) {
    return cells.stream()
        .filter(c -> c.param("strategy").equals(strategy) && c.threads() == threads)
        .findFirst();
  }

  /** A sample-mode percentile in milliseconds, whatever unit JMH used. */
  static double millis(JmhResult r, String percentile) {
    Double value = r.percentiles().get(percentile);
    if (value == null) {
      return Double.NaN;
    }
    String unit = r.unit();
    if (unit.startsWith("us")) {
      return value / 1_000;
    }
    if (unit.startsWith("ns")) {
      return value / 1_000_000;
    }
    if (unit.startsWith("s/")) {
      return value * 1_000;
    }
    return value;
  }

  private static Map<String, List<JmhResult>> groupBy(
      List<JmhResult> rows, java.util.function.Function<JmhResult, String> key) {
    Map<String, List<JmhResult>> groups = new TreeMap<>(Comparator.reverseOrder());
    for (JmhResult r : rows) {
      groups.computeIfAbsent(Objects.requireNonNull(key.apply(r)), k -> new ArrayList<>()).add(r);
    }
    return groups;
  }
}
