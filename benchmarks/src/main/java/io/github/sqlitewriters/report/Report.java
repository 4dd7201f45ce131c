package io.github.sqlitewriters.report;

import java.io.IOException;
import java.io.PrintStream;
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

  static final String USAGE =
      "usage: Report RUN_FOLDER   (a folder of JMH JSON files; writes summary.md and the charts"
          + " into it)";

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The command line: the report written and 0, or one line on {@code err} and 2 for a mistake (no
   * folder, a file instead of a folder, a folder without JMH JSON). Never a stack trace for those.
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(USAGE);
      return 0;
    }
    if (args.length != 1) {
      err.println(USAGE);
      return 2;
    }
    Path folder = Path.of(args[0]);
    List<JmhResult> results;
    try {
      if (Files.isRegularFile(folder)) {
        throw new IllegalArgumentException(args[0] + " is a file; Report takes a run folder");
      }
      results = JmhResults.loadNamed(args[0]);
    } catch (IllegalArgumentException e) {
      err.println("Report: " + e.getMessage());
      return 2;
    }
    List<String> charts = write(folder, results);
    out.println("wrote " + folder.resolve("summary.md") + " and " + charts.size() + " charts");
    return 0;
  }

  /**
   * Writes summary.md and the charts into the run folder; returns the charts' file names. A folder
   * without JMH results is an IllegalArgumentException, as on the command line.
   */
  public static List<String> write(Path folder) throws IOException {
    return write(folder, JmhResults.loadNamed(folder.toString()));
  }

  private static List<String> write(Path folder, List<JmhResult> results) throws IOException {
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
