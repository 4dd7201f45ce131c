package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.report.Compare.Measure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {

  @Test
  void marksOnlyDifferencesBeyondBothErrorBounds() {
    Measure old = new Measure(100, 10, "ops/s", true);
    assertEquals(
        "~", Compare.verdict(old, new Measure(115, 10, "ops/s", true)), "intervals overlap");
    assertEquals("better", Compare.verdict(old, new Measure(125, 10, "ops/s", true)));
    assertEquals("worse", Compare.verdict(old, new Measure(75, 10, "ops/s", true)));
    Measure latency = new Measure(100, 10, "us/op", false);
    assertEquals(
        "better", Compare.verdict(latency, new Measure(75, 10, "us/op", false)), "lower latency");
    assertEquals(
        "?", Compare.verdict(old, new Measure(300, Double.NaN, "ops/s", true)), "no bound");
  }

  @Test
  void comparesTwoRealRunsCellByCell() throws Exception {
    String markdown =
        Compare.markdown(Fixtures.load("smoke-a"), Fixtures.load("smoke-b"), "smoke-a", "smoke-b");
    // group-commit went from 32,964 to 27,152 committed/s; two iterations give no error bound.
    assertTrue(
        markdown.contains(
            "| ContendedWriteThroughput.insertOneRow t=8 journalMode=WAL strategy=group-commit"
                + " synchronous=FULL | 32,964 | 27,152 | ops/s | 0.82x | ? |"),
        markdown);
    // A smoke run has no error bars: no "0 better, 0 worse" that would read as "no difference".
    assertTrue(markdown.contains("No cell can be judged"), markdown);
    assertTrue(!markdown.contains("0 better, 0 worse"), markdown);
    assertTrue(markdown.contains("\n- Limits.executeBatch1000RowsPerTransaction"), markdown);
  }

  @Test
  void concludesOnlyFromCellsWithErrorBars() {
    assertEquals(
        "1 better, 0 worse beyond the noise, 2 within it.", Compare.conclusion(3, 1, 0, 0));
    assertEquals(
        "0 better, 1 worse beyond the noise, 0 within it; 2 of 3 cells cannot be judged (no error"
            + " bars).",
        Compare.conclusion(3, 0, 1, 2));
    assertEquals("No cell is in both runs: nothing to compare.", Compare.conclusion(0, 0, 0, 0));
  }

  @Test
  void aMistakeOnTheCommandLineGetsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path notJson = Files.writeString(dir.resolve("notes.json"), "Benchmark  Mode  Cnt  Score");
    Path run = Fixtures.folder("smoke-a");
    CommandLine.assertOneLineError(
        Compare::run, new String[] {run.toString()}, "usage: Compare OLD NEW");
    CommandLine.assertOneLineError(
        Compare::run,
        new String[] {dir.resolve("missing").toString(), run.toString()},
        "no such file or folder");
    CommandLine.assertOneLineError(
        Compare::run, new String[] {empty.toString(), run.toString()}, "no JMH results in");
    CommandLine.assertOneLineError(
        Compare::run, new String[] {run.toString(), notJson.toString()}, "is not JMH JSON output");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Compare.run(new String[] {"--help"}, new PrintStream(out), System.err));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: Compare"));
  }
}
