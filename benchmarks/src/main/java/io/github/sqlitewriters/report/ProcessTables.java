package io.github.sqlitewriters.report;

import io.github.sqlitewriters.Strategies;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The summary's tables of several processes writing one file ({@code SeveralProcesses}): one per
 * journal mode and synchronous setting, each cell with turns across processes on or off.
 *
 * <p>Why one table per setting, with the turns in a column: a run measures WAL + FULL and DELETE +
 * NORMAL, each with turns on and off (off is the figure before turns, in the same run). Rows of
 * different settings side by side, or a cell without its setting named, read as one process winning
 * where another lost. A run from before the turns has no {@code turns} parameter; its rows say "-".
 */
final class ProcessTables {
  private static final String BENCHMARK = "SeveralProcesses";

  private ProcessTables() {}

  static void markdown(List<JmhResult> results, StringBuilder text) {
    Map<String, List<JmhResult>> bySetting =
        JmhResults.bySetting(results, r -> r.benchmark().equals(BENCHMARK));
    if (bySetting.isEmpty()) {
      return;
    }
    text.append("## Several processes on one file\n\n")
        .append("Child JVMs, each writing single-row transactions through one writer with several")
        .append(" threads: committed writes per second of all processes together (higher is")
        .append(" better); in one measured iteration (lower is better): the p99.9 of a write that")
        .append(" ended across processes, the longest any write had waited and was still waiting")
        .append(" (a starved process shows here, not in the p99.9), and failures; and the slowest")
        .append(" process's share of the average (100 % is fair). `turns` says whether the")
        .append(" product strategies took turns across processes; off is the figure without them,")
        .append(" in the same run. `1 x 8` is one process: the figure to hold several processes")
        .append(" against.\n\n");
    for (Map.Entry<String, List<JmhResult>> setting : bySetting.entrySet()) {
      text.append("### ").append(setting.getKey()).append("\n\n");
      text.append(table(setting.getValue())).append('\n');
    }
  }

  /** Fewer processes first, then fewer threads in each: the order of the tables and charts. */
  static final Comparator<JmhResult> BY_SHAPE =
      Comparator.comparingInt((JmhResult r) -> Integer.parseInt(r.param("processes")))
          .thenComparingInt(r -> Integer.parseInt(r.param("threadsPerProcess")));

  /** A cell's shape as the tables and charts print it: "4 x 8", processes x threads. */
  static String shape(JmhResult r) {
    return r.param("processes") + " x " + r.param("threadsPerProcess");
  }

  private static MarkdownTable table(List<JmhResult> cells) {
    List<JmhResult> rows =
        cells.stream()
            .sorted(
                BY_SHAPE
                    .thenComparing(ProcessTables::writerOrder)
                    .thenComparing(r -> r.param("strategy"))
                    .thenComparing(r -> r.param("turns")))
            .toList();
    MarkdownTable table =
        new MarkdownTable(
            "processes x threads",
            "writer",
            "turns",
            "committed/s",
            "x " + Strategies.SINGLE_CONNECTION,
            "p99.9 ms",
            "longest wait ms",
            "busy failures",
            "other failures",
            "slowest process share");
    for (JmhResult r : rows) {
      double base =
          rows.stream()
              .filter(
                  b ->
                      b.param("strategy").equals(Strategies.SINGLE_CONNECTION)
                          && shape(b).equals(shape(r)))
              .findFirst()
              .map(b -> b.secondaryScore(Counters.COMMITTED))
              .orElse(Double.NaN);
      double committed = r.secondaryScore(Counters.COMMITTED);
      table.row(
          shape(r),
          r.param("strategy"),
          r.param("turns").isEmpty() ? "-" : r.param("turns"),
          MarkdownTable.number(committed),
          MarkdownTable.ratio(committed / base),
          MarkdownTable.number(r.secondaryScore("p999Micros") / 1_000),
          MarkdownTable.number(r.secondaryScore("longestWaitMillis")),
          MarkdownTable.number(r.secondaryScore(Counters.BUSY_FAILURES)),
          MarkdownTable.number(r.secondaryScore(Counters.OTHER_FAILURES)),
          String.format("%.0f %%", r.secondaryScore("slowestProcessPercent")));
    }
    return table;
  }

  /** The strategies in the library's order; DataSources and the mixed cell after them. */
  private static int writerOrder(JmhResult r) {
    int index = Strategies.names().indexOf(r.param("strategy"));
    return index < 0 ? Integer.MAX_VALUE : index;
  }
}
