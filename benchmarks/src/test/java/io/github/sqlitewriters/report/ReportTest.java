package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void writesTheSummaryAndAChartPerSetting() throws Exception {
    Path run = Fixtures.copy("smoke-b", dir);
    List<String> charts = Report.write(run);
    assertEquals(List.of("throughput-WAL-FULL.png"), charts);
    BufferedImage chart = ImageIO.read(run.resolve("throughput-WAL-FULL.png").toFile());
    assertNotNull(chart, "a readable PNG");
    assertEquals(900, chart.getWidth());
    String summary = Files.readString(run.resolve("summary.md"));
    assertTrue(summary.contains("![throughput-WAL-FULL.png](throughput-WAL-FULL.png)"), summary);
    assertTrue(summary.contains("| group-commit | 27,152 |"), summary);
  }

  /**
   * Several processes with turns off beside turns on, and framework transactions by DataSource: the
   * charts a reader should not have to read a table for.
   */
  @Test
  void drawsTheFairnessChartsOfSeveralProcessesAndTheFrameworkChart() throws Exception {
    Path run = Fixtures.copy("turns-and-frameworks", dir);
    List<String> charts = Report.write(run);
    assertEquals(
        List.of(
            "processes-WAL-FULL.png",
            "processes-share-WAL-FULL.png",
            "processes-wait-WAL-FULL.png",
            "frameworks-WAL-FULL.png"),
        charts);
    String summary = Files.readString(run.resolve("summary.md"));
    for (String name : charts) {
      BufferedImage chart = ImageIO.read(run.resolve(name).toFile());
      assertNotNull(chart, name + " is a readable PNG");
      assertEquals(900, chart.getWidth());
      assertTrue(summary.contains("![" + name + "](" + name + ")"), summary);
    }
    assertTrue(
        summary.contains("| 4 x 8 | group-commit | off | 12,948 |")
            && summary.contains("| 4 x 8 | group-commit | on | 13,989 |"),
        "several processes: turns off and on, each a row of its own\n" + summary);
    assertTrue(
        summary.contains("| 32 | insert | group-commit-data-source | 13,204 | 2.92x |"),
        "framework transactions against the pool\n" + summary);
  }

  @Test
  void refusesAFolderWithoutResults() {
    assertThrows(IllegalArgumentException.class, () -> Report.write(dir));
  }

  @Test
  void aMistakeOnTheCommandLineGetsOneLineAndExitTwo() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path notJson = Files.createDirectories(dir.resolve("not-json"));
    Files.writeString(notJson.resolve("run.json"), "Benchmark  Mode  Cnt  Score");
    Path run = Fixtures.copy("smoke-b", dir);
    Path file;
    try (var files = Files.list(run)) {
      file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    CommandLine.assertOneLineError(Report::run, new String[] {}, "usage: Report RUN_FOLDER");
    CommandLine.assertOneLineError(
        Report::run, new String[] {dir.resolve("missing").toString()}, "no such file or folder");
    CommandLine.assertOneLineError(
        Report::run, new String[] {empty.toString()}, "no JMH results in");
    CommandLine.assertOneLineError(
        Report::run, new String[] {notJson.toString()}, "is not JMH JSON output");
    CommandLine.assertOneLineError(
        Report::run, new String[] {file.toString()}, "is a file; Report takes a run folder");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Report.run(new String[] {"--help"}, new PrintStream(out), System.err));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: Report"));
    assertEquals(0, Report.run(new String[] {run.toString()}, new PrintStream(out), System.err));
    assertTrue(Files.exists(run.resolve("summary.md")));
  }
}
