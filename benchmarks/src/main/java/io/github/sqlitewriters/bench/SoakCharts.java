package io.github.sqlitewriters.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The WAL soak's charts: WAL size and the writes' p99.9 over time, one line per strategy and cell.
 */
final class SoakCharts {
  private SoakCharts() {}

  /** Writes {@code soak-wal.png} and {@code soak-p999.png} into the folder. */
  static void write(List<WalSoak.Cell> cells, Path folder) throws IOException {
    System.setProperty("java.awt.headless", "true");
    save(
        chart(
            cells,
            "WAL file size over time (lower is better)",
            "WAL MiB",
            s -> s.walBytes() / 1048576.0,
            false),
        folder.resolve("soak-wal.png"));
    save(
        chart(
            cells,
            "Write p99.9 per 5 s window (lower is better)",
            "milliseconds (log scale)",
            s -> Math.max(0.01, s.p999Millis()),
            true),
        folder.resolve("soak-p999.png"));
  }

  private static XYChart chart(
      List<WalSoak.Cell> cells,
      String title,
      String yTitle,
      ToDoubleFunction<WalSoak.Sample> y,
      boolean logarithmic) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title(title)
            .xAxisTitle("seconds")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setYAxisLogarithmic(logarithmic);
    chart.getStyler().setMarkerSize(0);
    for (WalSoak.Cell cell : cells) {
      if (cell.samples().isEmpty()) {
        continue;
      }
      chart.addSeries(
          cell.strategy() + " " + cell.cell(),
          cell.samples().stream().mapToDouble(WalSoak.Sample::seconds).toArray(),
          cell.samples().stream().mapToDouble(y).toArray());
    }
    return chart;
  }

  private static void save(XYChart chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
