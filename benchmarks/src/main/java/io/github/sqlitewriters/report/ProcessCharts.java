package io.github.sqlitewriters.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The charts of several processes writing one file ({@code SeveralProcesses}), one set per journal
 * mode and synchronous setting: committed writes per second by shape, and, where the run measured
 * the same cell with turns across processes off and on, the slowest process's share and the longest
 * wait side by side.
 *
 * <p>Why the fairness charts: throughput alone hides what several processes suffer from. Without
 * turns one process could take nearly every write while another's waited seconds; a reader should
 * see that gap, and what the turns close, at a glance rather than in a table. A run from before the
 * turns existed has no {@code turns} parameter: its cells count as turns off.
 */
final class ProcessCharts {
  private static final String BENCHMARK = "SeveralProcesses";
  private static final String SLOWEST_PERCENT = "slowestProcessPercent";
  private static final String LONGEST_WAIT_MILLIS = "longestWaitMillis";

  private ProcessCharts() {}

  /** Writes the charts the results allow; returns their file names. */
  static List<String> write(List<JmhResult> results, Path folder) throws IOException {
    Map<String, List<JmhResult>> byMode =
        JmhResults.bySetting(results, r -> r.benchmark().equals(BENCHMARK));
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, List<JmhResult>> mode : byMode.entrySet()) {
      files.addAll(throughput(mode.getKey(), mode.getValue(), folder));
      files.addAll(fairness(mode.getKey(), mode.getValue(), folder));
    }
    return files;
  }

  /** Committed writes per second of all processes, by shape, with turns on where measured. */
  private static List<String> throughput(String mode, List<JmhResult> cells, Path folder)
      throws IOException {
    List<JmhResult> on = cells.stream().filter(ProcessCharts::turnsOn).toList();
    List<JmhResult> shown = on.isEmpty() ? cells : on;
    List<String> shapes =
        shown.stream().sorted(ProcessTables.BY_SHAPE).map(ProcessTables::shape).distinct().toList();
    CategoryChart chart =
        chart(
            "Several processes on one file, " + mode + " (higher is better)",
            "processes x threads per process",
            "committed writes / s, all processes");
    for (String writer : writers(shown)) {
      List<Double> values = new ArrayList<>();
      for (String shape : shapes) {
        values.add(
            find(shown, writer, shape).map(r -> r.secondaryScore(Counters.COMMITTED)).orElse(0.0));
      }
      chart.addSeries(writer, shapes, values);
    }
    return List.of(Charts.save(chart, folder, "processes-" + fileName(mode) + ".png"));
  }

  /**
   * The slowest process's share and the longest wait, turns off beside turns on, for every cell
   * measured both ways; nothing when no cell was.
   */
  private static List<String> fairness(String mode, List<JmhResult> cells, Path folder)
      throws IOException {
    List<String> labels = new ArrayList<>();
    List<JmhResult> off = new ArrayList<>();
    List<JmhResult> on = new ArrayList<>();
    for (JmhResult cell : cells) {
      if (!turnsOn(cell)) {
        continue;
      }
      Optional<JmhResult> before =
          cells.stream().filter(r -> !turnsOn(r) && sameCell(r, cell)).findFirst();
      if (before.isPresent()) {
        labels.add(cell.param("strategy") + " " + ProcessTables.shape(cell));
        off.add(before.get());
        on.add(cell);
      }
    }
    if (labels.isEmpty()) {
      return List.of();
    }
    CategoryChart share =
        chart(
            "Slowest process's share of the writes, " + mode + " (100 % is fair)",
            "writer, processes x threads",
            "slowest process, % of the average share");
    addPair(share, labels, off, on, r -> r.secondaryScore(SLOWEST_PERCENT));
    CategoryChart wait =
        chart(
            "Longest wait for one write, " + mode + " (lower is better)",
            "writer, processes x threads",
            "longest wait, ms (log scale)");
    wait.getStyler().setYAxisLogarithmic(true);
    // A log axis cannot show 0 ms, and bars would start at 0: they start at 1 ms, the least shown.
    wait.getStyler().setYAxisMin(1.0);
    addPair(wait, labels, off, on, r -> Math.max(1, r.secondaryScore(LONGEST_WAIT_MILLIS)));
    return List.of(
        Charts.save(share, folder, "processes-share-" + fileName(mode) + ".png"),
        Charts.save(wait, folder, "processes-wait-" + fileName(mode) + ".png"));
  }

  private static void addPair(
      CategoryChart chart,
      List<String> labels,
      List<JmhResult> off,
      List<JmhResult> on,
      ToDoubleFunction<JmhResult> value) {
    chart.addSeries("turns off", labels, off.stream().map(value::applyAsDouble).toList());
    chart.addSeries("turns on", labels, on.stream().map(value::applyAsDouble).toList());
  }

  private static CategoryChart chart(String title, String xAxis, String yAxis) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(Charts.WIDTH)
            .height(Charts.HEIGHT)
            .title(title)
            .xAxisTitle(xAxis)
            .yAxisTitle(yAxis)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLabelRotation(45);
    return chart;
  }

  /** "WAL + FULL" as a file name's part: "WAL-FULL". */
  private static String fileName(String setting) {
    return setting.replace(" + ", "-");
  }

  private static boolean turnsOn(JmhResult r) {
    return r.param("turns").equals("on");
  }

  private static boolean sameCell(JmhResult a, JmhResult b) {
    return a.param("strategy").equals(b.param("strategy"))
        && ProcessTables.shape(a).equals(ProcessTables.shape(b));
  }

  private static Optional<JmhResult> find(List<JmhResult> cells, String writer, String shape) {
    return cells.stream()
        .filter(r -> r.param("strategy").equals(writer) && ProcessTables.shape(r).equals(shape))
        .findFirst();
  }

  /** The writers in the order the run measured them. */
  private static Set<String> writers(List<JmhResult> cells) {
    Set<String> writers = new LinkedHashSet<>();
    cells.forEach(r -> writers.add(r.param("strategy")));
    return writers;
  }
}
