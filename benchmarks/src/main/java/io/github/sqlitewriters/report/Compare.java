package io.github.sqlitewriters.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two runs, or two JMH JSON files, cell by cell (same benchmark, method, thread count and
 * parameters), in the spirit of Go's benchstat: a table of ratios with JMH's error bounds, where a
 * difference is marked only when the two 99.9 % confidence intervals do not overlap. Anything
 * smaller is noise on this kind of machine, however large the ratio looks.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.sqlitewriters.report.Compare OLD NEW
 * </pre>
 */
public final class Compare {
  private Compare() {}

  /** The value compared for one cell, with its error half-width and which direction is better. */
  record Measure(double value, double error, String unit, boolean higherIsBetter) {
    static Measure of(JmhResult r) {
      // Committed writes are the throughput that matters; JMH's primary score counts failed calls.
      JmhResult.Metric committed = r.secondary().get("committed");
      if (committed != null && r.mode().equals("thrpt")) {
        return new Measure(committed.score(), committed.error(), committed.unit(), true);
      }
      return new Measure(r.score(), r.error(), r.unit(), r.mode().equals("thrpt"));
    }

    double low() {
      return value - (Double.isNaN(error) ? 0 : error);
    }

    double high() {
      return value + (Double.isNaN(error) ? 0 : error);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Compare OLD NEW   (run folders or JMH JSON files)");
      System.exit(2);
    }
    System.out.print(
        markdown(
            JmhResults.load(Path.of(args[0])),
            JmhResults.load(Path.of(args[1])),
            args[0],
            args[1]));
  }

  /** The comparison as Markdown: one row per cell found in both runs. */
  public static String markdown(
      List<JmhResult> before, List<JmhResult> after, String beforeName, String afterName) {
    Map<String, JmhResult> old = index(before);
    Map<String, JmhResult> now = index(after);
    StringBuilder text =
        new StringBuilder("# ")
            .append(afterName)
            .append(" against ")
            .append(beforeName)
            .append("\n\n");
    text.append(
            "Ratio is new / old. A cell is marked better or worse only when the two runs' 99.9 %")
        .append(
            " confidence intervals (JMH's error) do not overlap; `~` means within noise, `?` that")
        .append(" a run had too few iterations for JMH to give an error. Throughput uses committed")
        .append(" writes where the benchmark counts them.\n\n");
    MarkdownTable table = new MarkdownTable("cell", "old", "new", "unit", "new / old", "verdict");
    int better = 0;
    int worse = 0;
    for (Map.Entry<String, JmhResult> entry : old.entrySet()) {
      JmhResult match = now.get(entry.getKey());
      if (match == null) {
        continue;
      }
      Measure a = Measure.of(entry.getValue());
      Measure b = Measure.of(match);
      String verdict = verdict(a, b);
      if (verdict.startsWith("better")) {
        better++;
      } else if (verdict.startsWith("worse")) {
        worse++;
      }
      table.row(
          entry.getKey(),
          withError(a),
          withError(b),
          b.unit(),
          MarkdownTable.ratio(b.value() / a.value()),
          verdict);
    }
    text.append(table).append('\n');
    text.append(better).append(" better, ").append(worse).append(" worse beyond the noise.\n");
    List<String> onlyOld = new ArrayList<>(old.keySet());
    onlyOld.removeAll(now.keySet());
    List<String> onlyNew = new ArrayList<>(now.keySet());
    onlyNew.removeAll(old.keySet());
    if (!onlyOld.isEmpty()) {
      text.append("\nOnly in ")
          .append(beforeName)
          .append(": ")
          .append(String.join("; ", onlyOld))
          .append('\n');
    }
    if (!onlyNew.isEmpty()) {
      text.append("\nOnly in ")
          .append(afterName)
          .append(": ")
          .append(String.join("; ", onlyNew))
          .append('\n');
    }
    return text.toString();
  }

  /** better / worse when the intervals are apart, ~ when they overlap, ? without error bounds. */
  static String verdict(Measure a, Measure b) {
    if (Double.isNaN(a.error()) || Double.isNaN(b.error())) {
      return "?";
    }
    boolean apart = b.low() > a.high() || a.low() > b.high();
    if (!apart) {
      return "~";
    }
    boolean higher = b.value() > a.value();
    return higher == a.higherIsBetter() ? "better" : "worse";
  }

  private static String withError(Measure m) {
    return MarkdownTable.number(m.value())
        + (Double.isNaN(m.error()) ? "" : " ± " + MarkdownTable.number(m.error()));
  }

  private static Map<String, JmhResult> index(List<JmhResult> results) {
    Map<String, JmhResult> byKey = new TreeMap<>();
    for (JmhResult r : results) {
      byKey.put(r.key(), r);
    }
    return byKey;
  }
}
