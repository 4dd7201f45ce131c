package io.github.sqlitewriters.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Committed framework transactions per second ({@code FrameworkTransactions}) against threads, one
 * line per DataSource and workload, one chart per synchronous setting.
 *
 * <p>Why: a user who writes through Spring, Hibernate or Jdbi picks a DataSource, not a strategy;
 * this is the chart that answers which one, and how far each goes as threads are added.
 */
final class FrameworkCharts {
  private FrameworkCharts() {}

  /** Writes the charts the results allow; returns their file names. */
  static List<String> write(List<JmhResult> results, Path folder) throws IOException {
    Map<String, List<JmhResult>> bySetting =
        JmhResults.bySetting(results, FrameworkTables::isThroughput);
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, List<JmhResult>> setting : bySetting.entrySet()) {
      XYChart chart =
          new XYChartBuilder()
              .width(Charts.WIDTH)
              .height(Charts.HEIGHT)
              .title(
                  "Framework transactions per second, " + setting.getKey() + " (higher is better)")
              .xAxisTitle("threads")
              .yAxisTitle("committed transactions / s")
              .build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setXAxisDecimalPattern("#");
      Map<String, List<JmhResult>> lines = new TreeMap<>();
      for (JmhResult r : setting.getValue()) {
        lines
            .computeIfAbsent(
                r.param("dataSource") + ", " + FrameworkTables.workload(r), k -> new ArrayList<>())
            .add(r);
      }
      for (Map.Entry<String, List<JmhResult>> line : lines.entrySet()) {
        List<JmhResult> cells =
            line.getValue().stream().sorted(Comparator.comparingInt(JmhResult::threads)).toList();
        chart
            .addSeries(
                line.getKey(),
                cells.stream().mapToDouble(JmhResult::threads).toArray(),
                cells.stream().mapToDouble(r -> r.secondaryScore(Counters.COMMITTED)).toArray())
            .setMarker(SeriesMarkers.CIRCLE);
      }
      files.add(
          Charts.save(
              chart, folder, "frameworks-" + setting.getKey().replace(" + ", "-") + ".png"));
    }
    return files;
  }
}
