package io.github.sqlitewriters.report;

import io.github.sqlitewriters.Strategies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart: committed throughput against writer threads, one chart
 * per journal mode and synchronous setting, and latency percentiles per strategy, one chart per
 * setting and thread count; PostgreSQL and larger databases here too, several processes in {@link
 * ProcessCharts} and framework transactions in {@link FrameworkCharts}.
 */
final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 560;

  private Charts() {}

  /** Writes every chart the results allow into {@code folder}; returns the file names. */
  static List<String> write(List<JmhResult> results, Path folder) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> files = new ArrayList<>();
    files.addAll(throughput(results, folder));
    files.addAll(latency(results, folder));
    files.addAll(postgres(results, folder));
    files.addAll(ProcessCharts.write(results, folder));
    files.addAll(FrameworkCharts.write(results, folder));
    files.addAll(sizes(results, folder));
    return files;
  }

  /** Committed writes per second against rows already in the table, one chart per thread count. */
  private static List<String> sizes(List<JmhResult> results, Path folder) throws IOException {
    Map<Integer, List<JmhResult>> groups = new TreeMap<>();
    for (JmhResult r : results) {
      if (r.benchmark().equals("LargerDatabases")) {
        groups.computeIfAbsent(r.threads(), k -> new ArrayList<>()).add(r);
      }
    }
    List<String> files = new ArrayList<>();
    for (Map.Entry<Integer, List<JmhResult>> group : groups.entrySet()) {
      List<Long> sizes =
          group.getValue().stream()
              .map(r -> Long.parseLong(r.param("rows")))
              .distinct()
              .sorted()
              .toList();
      CategoryChart chart =
          new CategoryChartBuilder()
              .width(WIDTH)
              .height(HEIGHT)
              .title(
                  "Writes per second as the table grows, "
                      + group.getKey()
                      + " threads (higher is better)")
              .xAxisTitle("rows already in the table")
              .yAxisTitle("committed single-row transactions / s")
              .build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      List<String> labels = sizes.stream().map(n -> String.format("%,d", n)).toList();
      for (String strategy : Strategies.names()) {
        List<Double> values = new ArrayList<>();
        for (long n : sizes) {
          values.add(
              group.getValue().stream()
                  .filter(
                      r ->
                          r.param("strategy").equals(strategy)
                              && Long.parseLong(r.param("rows")) == n)
                  .findFirst()
                  .map(r -> r.secondaryScore(Counters.COMMITTED))
                  .orElse(0.0));
        }
        if (values.stream().anyMatch(v -> v > 0)) {
          chart.addSeries(strategy, labels, values);
        }
      }
      files.add(save(chart, folder, "sizes-t" + group.getKey() + ".png"));
    }
    return files;
  }

  /** Committed writes per second by clients, SQLite strategies and PostgreSQL, per durability. */
  private static List<String> postgres(List<JmhResult> results, Path folder) throws IOException {
    Map<String, List<JmhResult>> groups = new TreeMap<>();
    for (JmhResult r : results) {
      if (r.benchmark().equals("PostgresComparison")) {
        groups.computeIfAbsent(r.param("synchronous"), k -> new ArrayList<>()).add(r);
      }
    }
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, List<JmhResult>> group : groups.entrySet()) {
      XYChart chart =
          new XYChartBuilder()
              .width(WIDTH)
              .height(HEIGHT)
              .title(
                  "SQLite strategies vs PostgreSQL, "
                      + (group.getKey().equals("FULL")
                          ? "durable commits"
                          : "NORMAL / async commit")
                      + " (higher is better)")
              .xAxisTitle("client threads")
              .yAxisTitle("committed single-row transactions / s")
              .build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setXAxisDecimalPattern("#");
      for (String system : Comparisons.SYSTEMS) {
        List<JmhResult> cells =
            group.getValue().stream()
                .filter(r -> r.param("system").equals(system))
                .sorted(Comparator.comparingInt(JmhResult::threads))
                .toList();
        if (!cells.isEmpty()) {
          chart
              .addSeries(
                  system,
                  cells.stream().mapToDouble(JmhResult::threads).toArray(),
                  cells.stream().mapToDouble(r -> r.secondaryScore(Counters.COMMITTED)).toArray())
              .setMarker(SeriesMarkers.CIRCLE);
        }
      }
      files.add(save(chart, folder, "postgres-" + group.getKey() + ".png"));
    }
    return files;
  }

  /** Writes one chart as a PNG into the folder; returns its file name. */
  static String save(
      org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path folder, String name)
      throws IOException {
    BitmapEncoder.saveBitmap(
        chart, folder.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
    return name;
  }

  private static List<String> throughput(List<JmhResult> results, Path folder) throws IOException {
    Map<String, List<JmhResult>> groups = new TreeMap<>();
    for (JmhResult r : results) {
      if (r.benchmark().equals("ContendedWriteThroughput") && !r.virtualCallers()) {
        groups
            .computeIfAbsent(
                r.param("journalMode") + "-" + r.param("synchronous"), k -> new ArrayList<>())
            .add(r);
      }
    }
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, List<JmhResult>> group : groups.entrySet()) {
      XYChart chart =
          new XYChartBuilder()
              .width(WIDTH)
              .height(HEIGHT)
              .title(
                  "Committed writes per second, "
                      + group.getKey().replace("-", " + ")
                      + " (higher is better)")
              .xAxisTitle("writer threads")
              .yAxisTitle("committed single-row transactions / s")
              .build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setXAxisDecimalPattern("#");
      for (String strategy : Strategies.names()) {
        List<JmhResult> cells =
            group.getValue().stream()
                .filter(r -> r.param("strategy").equals(strategy))
                .sorted(Comparator.comparingInt(JmhResult::threads))
                .toList();
        if (cells.isEmpty()) {
          continue;
        }
        double[] x = cells.stream().mapToDouble(JmhResult::threads).toArray();
        double[] y =
            cells.stream().mapToDouble(r -> r.secondaryScore(Counters.COMMITTED)).toArray();
        chart.addSeries(strategy, x, y).setMarker(SeriesMarkers.CIRCLE);
      }
      files.add(save(chart, folder, "throughput-" + group.getKey() + ".png"));
    }
    return files;
  }

  private static List<String> latency(List<JmhResult> results, Path folder) throws IOException {
    Map<String, List<JmhResult>> groups = new TreeMap<>();
    for (JmhResult r : results) {
      if (r.benchmark().equals("CommitLatency")) {
        groups
            .computeIfAbsent(
                r.param("journalMode")
                    + "-"
                    + r.param("synchronous")
                    + "-t"
                    + r.threads()
                    + (r.virtualCallers() ? "-virtual" : ""),
                k -> new ArrayList<>())
            .add(r);
      }
    }
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, List<JmhResult>> group : groups.entrySet()) {
      List<String> strategies = new ArrayList<>();
      for (String strategy : Strategies.names()) {
        if (group.getValue().stream().anyMatch(r -> r.param("strategy").equals(strategy))) {
          strategies.add(strategy);
        }
      }
      CategoryChart chart =
          new CategoryChartBuilder()
              .width(WIDTH)
              .height(HEIGHT)
              .title("Write latency, " + group.getKey().replace("-", " ") + " (lower is better)")
              .xAxisTitle("strategy")
              .yAxisTitle("milliseconds (log scale)")
              .build();
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
      chart.getStyler().setXAxisLabelRotation(30);
      double lowest = Double.MAX_VALUE;
      double highest = 0;
      for (String[] percentile :
          new String[][] {{"p50", "50.0"}, {"p99", "99.0"}, {"p99.9", "99.9"}, {"max", "100.0"}}) {
        List<Double> values = new ArrayList<>();
        for (String strategy : strategies) {
          JmhResult cell =
              group.getValue().stream()
                  .filter(r -> r.param("strategy").equals(strategy))
                  .findFirst()
                  .orElseThrow();
          // A log axis cannot show zero or a missing value; a microsecond floor keeps the chart
          // drawable and the bar visibly empty.
          double millis = Summary.millis(cell, percentile[1]);
          values.add(Double.isNaN(millis) || millis < 0.001 ? 0.001 : millis);
        }
        chart.addSeries(percentile[0], strategies, values);
        for (double value : values) {
          lowest = Math.min(lowest, value);
          highest = Math.max(highest, value);
        }
      }
      // Bar charts put their axis minimum at zero unless told otherwise; a log axis cannot.
      chart.getStyler().setYAxisMin(lowest / 2);
      chart.getStyler().setYAxisMax(highest * 2);
      files.add(save(chart, folder, "latency-" + group.getKey() + ".png"));
    }
    return files;
  }
}
