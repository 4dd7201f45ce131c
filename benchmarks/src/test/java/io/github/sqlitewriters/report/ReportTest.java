package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
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

  @Test
  void refusesAFolderWithoutResults() {
    assertThrows(IllegalArgumentException.class, () -> Report.write(dir));
  }
}
