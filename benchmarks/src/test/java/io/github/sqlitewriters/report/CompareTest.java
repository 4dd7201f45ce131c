package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.report.Compare.Measure;
import org.junit.jupiter.api.Test;

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
    assertTrue(markdown.contains("0 better, 0 worse beyond the noise."), markdown);
    assertTrue(
        markdown.contains("Only in smoke-b: Limits.executeBatch1000RowsPerTransaction"), markdown);
  }
}
