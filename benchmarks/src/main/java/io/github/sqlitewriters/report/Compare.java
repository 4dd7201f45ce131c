package io.github.sqlitewriters.report;

import java.io.PrintStream;
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
      JmhResult.Metric committed = r.secondary().get(Counters.COMMITTED);
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

  static final String USAGE =
      "usage: Compare OLD NEW   (two run folders or JMH JSON files; prints the comparison as"
          + " Markdown)";

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The command line: the comparison on {@code out} and 0, or one line on {@code err} and 2 for a
   * mistake (wrong arguments, a missing path, a folder without JMH JSON, a file that is not JMH
   * JSON). Never a stack trace for those.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(USAGE);
      return 0;
    }
    if (args.length != 2) {
      err.println(USAGE);
      return 2;
    }
    try {
      List<JmhResult> before = JmhResults.loadNamed(args[0]);
      List<JmhResult> after = JmhResults.loadNamed(args[1]);
      out.print(markdown(before, after, args[0], args[1]));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("Compare: " + e.getMessage());
      return 2;
    }
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
    int unjudged = 0;
    int compared = 0;
    for (Map.Entry<String, JmhResult> entry : old.entrySet()) {
      JmhResult match = now.get(entry.getKey());
      if (match == null) {
        continue;
      }
      Measure a = Measure.of(entry.getValue());
      Measure b = Measure.of(match);
      String verdict = verdict(a, b);
      compared++;
      if (verdict.startsWith("better")) {
        better++;
      } else if (verdict.startsWith("worse")) {
        worse++;
      } else if (verdict.equals("?")) {
        unjudged++;
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
    text.append(conclusion(compared, better, worse, unjudged)).append('\n');
    List<String> onlyOld = new ArrayList<>(old.keySet());
    onlyOld.removeAll(now.keySet());
    List<String> onlyNew = new ArrayList<>(now.keySet());
    onlyNew.removeAll(old.keySet());
    appendOnlyIn(text, beforeName, onlyOld);
    appendOnlyIn(text, afterName, onlyNew);
    return text.toString();
  }

  /**
   * What the table allows one to say. "No difference" is claimed only of cells that had error bars;
   * cells without them are counted apart, never read as "same".
   */
  static String conclusion(int compared, int better, int worse, int unjudged) {
    if (compared == 0) {
      return "No cell is in both runs: nothing to compare.";
    }
    if (unjudged == compared) {
      return "No cell can be judged: "
          + (compared == 1 ? "it has" : "none has")
          + " error bars in both runs (a run with fewer than 3 measurement iterations, such as a"
          + " smoke run, gets none from JMH). Rerun with more iterations to compare.";
    }
    String judged =
        better
            + " better, "
            + worse
            + " worse beyond the noise, "
            + (compared - unjudged - better - worse)
            + " within it";
    return unjudged == 0
        ? judged + "."
        : judged + "; " + unjudged + " of " + compared + " cells cannot be judged (no error bars).";
  }

  /** Cells found in one run only, one per line: a long list stays readable. */
  private static void appendOnlyIn(StringBuilder text, String run, List<String> cells) {
    if (cells.isEmpty()) {
      return;
    }
    text.append("\nOnly in ").append(run).append(" (").append(cells.size()).append(" cells):\n");
    for (String cell : cells) {
      text.append("- ").append(cell).append('\n');
    }
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
