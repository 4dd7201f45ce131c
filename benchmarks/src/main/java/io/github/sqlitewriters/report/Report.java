package io.github.sqlitewriters.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a run folder's JMH JSON files into {@code summary.md} (a table per question) and PNG
 * charts, beside the raw JSON, {@code environment.md} and {@code command.txt} that the Sweep wrote.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.sqlitewriters.report.Report results/RUN
 * </pre>
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length != 1) {
      System.err.println("usage: Report RUN_FOLDER");
      System.exit(2);
    }
    Path folder = Path.of(args[0]);
    List<String> charts = write(folder);
    System.out.println(
        "wrote " + folder.resolve("summary.md") + " and " + charts.size() + " charts");
  }

  /** Writes summary.md and the charts into the run folder; returns the charts' file names. */
  public static List<String> write(Path folder) throws java.io.IOException {
    List<JmhResult> results = JmhResults.load(folder);
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no JMH JSON results in " + folder);
    }
    List<String> charts = Charts.write(results, folder);
    StringBuilder text =
        new StringBuilder("# Results: ").append(folder.getFileName()).append("\n\n");
    text.append(
            "Machine and settings: [environment.md](environment.md). Command: [command.txt](command.txt).")
        .append(" Raw JMH output: the `*.json` files.\n\n");
    text.append(new Summary(results).markdown());
    if (!charts.isEmpty()) {
      text.append("## Charts\n\n");
      for (String chart : charts) {
        text.append("![").append(chart).append("](").append(chart).append(")\n\n");
      }
    }
    Files.writeString(folder.resolve("summary.md"), text.toString());
    return charts;
  }
}
