package io.github.sqlitewriters.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The summary's table of framework transactions ({@code FrameworkTransactions}): committed
 * transactions per second through each DataSource, with the p99.9 of its latency twin and the ratio
 * to a HikariCP pool of plain connections in the same run, one table per setting.
 *
 * <p>Why beside the strategies' tables: Spring, Hibernate and Jdbi users choose a DataSource, and
 * the question they bring is "against the pool I would otherwise use".
 */
final class FrameworkTables {
  private static final String BENCHMARK = "FrameworkTransactions";
  private static final String THROUGHPUT = "transaction";

  /** Run 2's name of the throughput method, when the only workload was one INSERT. */
  private static final String RUN2_THROUGHPUT = "insertOneRow";

  private static final String LATENCY = "transactionLatency";
  private static final String POOL = "hikari-pool";

  private FrameworkTables() {}

  static void markdown(List<JmhResult> results, StringBuilder text) {
    List<JmhResult> cells = results.stream().filter(r -> r.benchmark().equals(BENCHMARK)).toList();
    Map<String, List<JmhResult>> bySetting =
        JmhResults.bySetting(cells, FrameworkTables::isThroughput);
    if (bySetting.isEmpty()) {
      return;
    }
    text.append("## Framework transactions through a DataSource\n\n")
        .append("Each transaction as Spring runs it: `insert` is one JdbcTemplate INSERT,")
        .append(" `jpa` a Hibernate find, change and persist. Committed transactions per second")
        .append(" (higher is better), failed ones over the measured iterations, the p99.9 of the")
        .append(" same cell in")
        .append(" sample mode (lower is better), and the ratio to a HikariCP pool of plain")
        .append(" connections at the same threads.\n\n");
    for (Map.Entry<String, List<JmhResult>> setting : bySetting.entrySet()) {
      text.append("### ").append(setting.getKey()).append("\n\n");
      MarkdownTable table =
          new MarkdownTable(
              "threads", "workload", "DataSource", "tx/s", "x " + POOL, "failures", "p99.9 ms");
      List<JmhResult> rows =
          setting.getValue().stream()
              .sorted(
                  Comparator.comparingInt(JmhResult::threads)
                      .thenComparing(FrameworkTables::workload)
                      .thenComparing(r -> r.param("dataSource")))
              .toList();
      for (JmhResult r : rows) {
        double pool =
            rows.stream()
                .filter(b -> b.param("dataSource").equals(POOL) && sameCell(b, r))
                .findFirst()
                .map(b -> b.secondaryScore(Counters.COMMITTED))
                .orElse(Double.NaN);
        double committed = r.secondaryScore(Counters.COMMITTED);
        double failed =
            r.secondaryScore(Counters.BUSY_FAILURES) + r.secondaryScore(Counters.OTHER_FAILURES);
        table.row(
            Integer.toString(r.threads()),
            workload(r),
            r.param("dataSource"),
            MarkdownTable.number(committed),
            MarkdownTable.ratio(committed / pool),
            MarkdownTable.number(failed),
            latencyTwin(cells, r)
                .map(l -> MarkdownTable.number(Summary.millis(l, "99.9")))
                .orElse("-"));
      }
      text.append(table).append('\n');
    }
  }

  /** Whether a cell is a throughput cell: this run's method, or run 2's. */
  static boolean isThroughput(JmhResult r) {
    return r.benchmark().equals(BENCHMARK)
        && (r.method().equals(THROUGHPUT) || r.method().equals(RUN2_THROUGHPUT));
  }

  /** The cell's workload; run 2 had only the INSERT and no parameter for it. */
  static String workload(JmhResult r) {
    return r.param("workload").isEmpty() ? "insert" : r.param("workload");
  }

  private static Optional<JmhResult> latencyTwin(List<JmhResult> cells, JmhResult r) {
    return cells.stream()
        .filter(l -> l.method().equals(LATENCY) && l.params().equals(r.params()))
        .filter(l -> l.threads() == r.threads())
        .findFirst();
  }

  private static boolean sameCell(JmhResult a, JmhResult b) {
    return Summary.sameSettings(a, b) && workload(a).equals(workload(b));
  }
}
