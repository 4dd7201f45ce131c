package io.github.sqlitewriters.report;

import io.github.sqlitewriters.Strategies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The summary's tables for the questions users bring beside "which SQLite setup": should I move to
 * PostgreSQL, and what do virtual-thread callers get (several processes: {@link ProcessTables}).
 * Kept apart from {@link Summary}'s per-strategy tables because their cells are not one strategy at
 * one thread count in one JVM.
 */
final class Comparisons {
  static final String POSTGRES = "postgres";

  /**
   * The order of the PostgreSQL table's rows: the SQLite strategies a user adopts, then servers.
   */
  static final List<String> SYSTEMS =
      List.of(
          Strategies.GROUP_COMMIT,
          Strategies.IMMEDIATE,
          Strategies.SINGLE_CONNECTION,
          POSTGRES,
          "postgres-commit-delay");

  private final List<JmhResult> results;

  Comparisons(List<JmhResult> results) {
    this.results = results;
  }

  void markdown(StringBuilder text) {
    postgres(
        text, "FULL", "durable: SQLite WAL + synchronous=FULL, PostgreSQL synchronous_commit=on");
    postgres(text, "NORMAL", "SQLite WAL + synchronous=NORMAL, PostgreSQL synchronous_commit=off");
    virtualCallers(text);
    largerDatabases(text);
  }

  /** Committed writes per second by rows already in the table, per thread count and strategy. */
  private void largerDatabases(StringBuilder text) {
    List<JmhResult> rows = of("LargerDatabases");
    if (rows.isEmpty()) {
      return;
    }
    TreeSet<Long> sizes =
        rows.stream()
            .map(r -> Long.parseLong(r.param("rows")))
            .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<Integer> threads =
        rows.stream().map(JmhResult::threads).collect(Collectors.toCollection(TreeSet::new));
    List<String> header = new ArrayList<>(List.of("threads", "strategy"));
    sizes.forEach(n -> header.add(String.format("%,d rows", n)));
    header.add("x " + Strategies.SINGLE_CONNECTION + " @" + String.format("%,d", sizes.last()));
    header.add("failures");
    MarkdownTable table = new MarkdownTable(header);
    for (int t : threads) {
      for (String strategy : Strategies.names()) {
        List<String> row = new ArrayList<>(List.of(Integer.toString(t), strategy));
        boolean any = false;
        double failures = 0;
        for (long n : sizes) {
          Optional<JmhResult> cell = sizeCell(rows, strategy, t, n);
          any |= cell.isPresent();
          row.add(
              cell.map(c -> MarkdownTable.number(c.secondaryScore(Counters.COMMITTED)))
                  .orElse("-"));
          failures = Math.max(failures, cell.map(Comparisons::failures).orElse(0.0));
        }
        if (!any) {
          continue;
        }
        double at =
            sizeCell(rows, strategy, t, sizes.last())
                .map(c -> c.secondaryScore(Counters.COMMITTED))
                .orElse(Double.NaN);
        double base =
            sizeCell(rows, Strategies.SINGLE_CONNECTION, t, sizes.last())
                .map(c -> c.secondaryScore(Counters.COMMITTED))
                .orElse(Double.NaN);
        row.add(MarkdownTable.ratio(at / base));
        row.add(MarkdownTable.number(failures));
        table.row(row);
      }
    }
    JmhResult any = rows.get(0);
    text.append("## Larger databases\n\n")
        .append("Committed single-row write transactions per second (higher is better), ")
        .append(any.param("journalMode"))
        .append(" + ")
        .append(any.param("synchronous"))
        .append(", into a table that already holds the given rows, with a secondary index on a")
        .append(" random key and one on a growing key; each trial writes into a fresh copy of a")
        .append(" preloaded file.\n\n")
        .append(table)
        .append('\n');
  }

  private static Optional<JmhResult> sizeCell(
      List<JmhResult> rows, String strategy, int threads, long size) {
    return rows.stream()
        .filter(
            r ->
                r.param("strategy").equals(strategy)
                    && r.threads() == threads
                    && Long.parseLong(r.param("rows")) == size)
        .findFirst();
  }

  private List<JmhResult> of(String benchmark) {
    return results.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
  }

  /**
   * Committed writes per second by clients, SQLite strategies against PostgreSQL. A SQLite cell the
   * PostgreSQL run did not measure is taken from ContendedWriteThroughput of the same sweep (same
   * file settings, platform threads) and marked.
   */
  private void postgres(StringBuilder text, String synchronous, String title) {
    List<JmhResult> rows =
        of("PostgresComparison").stream()
            .filter(r -> r.param("synchronous").equals(synchronous))
            .toList();
    if (rows.isEmpty()) {
      return;
    }
    // Where no server could start, the SQLite systems of the run are still shown, with no ratio.
    boolean noServer = rows.stream().noneMatch(r -> r.param("system").startsWith(POSTGRES));
    TreeSet<Integer> clients =
        rows.stream().map(JmhResult::threads).collect(Collectors.toCollection(TreeSet::new));
    List<String> header = new ArrayList<>(List.of("system"));
    clients.forEach(c -> header.add(c + (c == 1 ? " client" : " clients")));
    header.add("x postgres @" + clients.last());
    header.add("failures");
    MarkdownTable table = new MarkdownTable(header);
    boolean borrowed = false;
    for (String system : SYSTEMS) {
      List<String> row = new ArrayList<>(List.of(system));
      boolean any = false;
      double failures = 0;
      for (int c : clients) {
        Optional<JmhResult> cell = postgresCell(rows, system, c);
        Optional<JmhResult> sqlite =
            cell.isPresent() ? cell : contendedCell(system, c, synchronous);
        any |= sqlite.isPresent();
        String mark = cell.isEmpty() && sqlite.isPresent() ? " *" : "";
        borrowed |= !mark.isEmpty();
        row.add(
            sqlite
                .map(r -> MarkdownTable.number(r.secondaryScore(Counters.COMMITTED)) + mark)
                .orElse("-"));
        failures = Math.max(failures, sqlite.map(Comparisons::failures).orElse(0.0));
      }
      if (!any) {
        continue;
      }
      int most = clients.last();
      double at =
          postgresCell(rows, system, most)
              .or(() -> contendedCell(system, most, synchronous))
              .map(r -> r.secondaryScore(Counters.COMMITTED))
              .orElse(Double.NaN);
      double postgres =
          postgresCell(rows, POSTGRES, most)
              .map(r -> r.secondaryScore(Counters.COMMITTED))
              .orElse(Double.NaN);
      row.add(MarkdownTable.ratio(at / postgres));
      row.add(MarkdownTable.number(failures));
      table.row(row);
    }
    text.append("## SQLite strategies against PostgreSQL, ")
        .append(title)
        .append("\n\n")
        .append("Committed single-row write transactions per second (higher is better) by")
        .append(" client threads; PostgreSQL is a real server on the same disk with fsync and")
        .append(" full_page_writes on (read back before measuring), one pooled connection per")
        .append(" client; postgres-commit-delay adds commit_delay=1000 us. `failures`: failed")
        .append(" writes in the measured iterations at any client count.")
        .append(borrowed ? " `*`: from ContendedWriteThroughput in the same sweep." : "")
        .append(
            noServer
                ? " PostgreSQL did not run in this sweep (no server could start here): the SQLite"
                    + " systems alone, no ratio."
                : "")
        .append("\n\n")
        .append(table)
        .append('\n');
  }

  private static Optional<JmhResult> postgresCell(
      List<JmhResult> rows, String system, int clients) {
    return rows.stream()
        .filter(r -> r.param("system").equals(system) && r.threads() == clients)
        .findFirst();
  }

  private Optional<JmhResult> contendedCell(String strategy, int threads, String synchronous) {
    return of("ContendedWriteThroughput").stream()
        .filter(
            r ->
                !r.virtualCallers()
                    && r.param("strategy").equals(strategy)
                    && r.threads() == threads
                    && r.param("journalMode").equals("WAL")
                    && r.param("synchronous").equals(synchronous))
        .findFirst();
  }

  private static double failures(JmhResult r) {
    return r.secondaryScore(Counters.BUSY_FAILURES) + r.secondaryScore(Counters.OTHER_FAILURES);
  }

  /** Virtual-thread callers against the most platform threads measured in the same run. */
  private void virtualCallers(StringBuilder text) {
    List<JmhResult> throughput =
        of("ContendedWriteThroughput").stream().filter(JmhResult::virtualCallers).toList();
    List<JmhResult> latency =
        of("CommitLatency").stream().filter(JmhResult::virtualCallers).toList();
    if (throughput.isEmpty() && latency.isEmpty()) {
      return;
    }
    MarkdownTable table =
        new MarkdownTable(
            "strategy",
            "journal + sync",
            "callers",
            "JDK",
            "committed/s",
            "busy/iter",
            "platform threads",
            "x platform",
            "p99.9 ms");
    for (JmhResult r : sortByStrategy(throughput)) {
      Optional<JmhResult> platform = mostPlatformThreads(r);
      Optional<JmhResult> tail =
          latency.stream().filter(l -> l.threads() == r.threads() && sameCell(l, r)).findFirst();
      table.row(
          r.param("strategy"),
          r.param("journalMode") + " + " + r.param("synchronous"),
          r.threads() + " virtual",
          r.jdk(),
          MarkdownTable.number(r.secondaryScore(Counters.COMMITTED)),
          MarkdownTable.number(r.secondaryScore(Counters.BUSY_FAILURES)),
          platform.map(p -> Integer.toString(p.threads())).orElse("-"),
          MarkdownTable.ratio(
              r.secondaryScore(Counters.COMMITTED)
                  / platform.map(p -> p.secondaryScore(Counters.COMMITTED)).orElse(Double.NaN)),
          tail.map(l -> MarkdownTable.number(Summary.millis(l, "99.9"))).orElse("-"));
    }
    text.append("## Virtual-thread callers\n\n")
        .append("The same single-row writes with JMH's benchmark threads as virtual threads")
        .append(" (`-Djmh.executor=VIRTUAL`, JDK 21+): committed per second (higher is better)")
        .append(" against the most platform threads measured in the same run, and the p99.9")
        .append(" from CommitLatency at the same callers where measured.\n\n")
        .append(table)
        .append('\n');
  }

  private Optional<JmhResult> mostPlatformThreads(JmhResult virtual) {
    return of("ContendedWriteThroughput").stream()
        .filter(p -> !p.virtualCallers() && sameCell(p, virtual))
        .max(Comparator.comparingInt(JmhResult::threads));
  }

  private static boolean sameCell(JmhResult a, JmhResult b) {
    return a.param("strategy").equals(b.param("strategy"))
        && a.param("journalMode").equals(b.param("journalMode"))
        && a.param("synchronous").equals(b.param("synchronous"));
  }

  private static List<JmhResult> sortByStrategy(List<JmhResult> rows) {
    return rows.stream()
        .sorted(
            Comparator.comparing((JmhResult r) -> r.param("synchronous"))
                .thenComparing(JmhResult::threads)
                .thenComparing(r -> Strategies.names().indexOf(r.param("strategy"))))
        .toList();
  }
}
