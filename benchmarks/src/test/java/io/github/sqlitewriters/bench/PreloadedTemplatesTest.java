package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template is built once with its rows and both indexes, copied per trial, and deleted at the
 * end.
 */
class PreloadedTemplatesTest {
  @TempDir Path dir;
  private String benchDir;

  @BeforeEach
  void useTheTemporaryFolder() {
    benchDir = System.getProperty("bench.dir");
    System.setProperty("bench.dir", dir.toString());
  }

  @AfterEach
  void restore() {
    if (benchDir == null) {
      System.clearProperty("bench.dir");
    } else {
      System.setProperty("bench.dir", benchDir);
    }
  }

  @Test
  void copiesHoldTheRowsAndIndexesAndWriteIntoWal() throws Exception {
    PreloadedTemplates.copy(250_123, dir.resolve("a.db"));
    Path template;
    try (var files = Files.list(PreloadedTemplates.folder())) {
      template = files.filter(f -> f.toString().endsWith("-250123.db")).findFirst().orElseThrow();
    }
    long built = Files.getLastModifiedTime(template).toMillis();
    PreloadedTemplates.copy(250_123, dir.resolve("b.db"));
    assertEquals(
        built,
        Files.getLastModifiedTime(template).toMillis(),
        "the second copy rebuilt the template");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("b.db"));
        Statement statement = connection.createStatement()) {
      try (ResultSet count = statement.executeQuery("SELECT count(*), max(ts) FROM big")) {
        count.next();
        assertEquals(250_123, count.getLong(1));
        assertEquals(250_122, count.getLong(2));
      }
      try (ResultSet indexes =
          statement.executeQuery(
              "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'big'")) {
        indexes.next();
        assertEquals(2, indexes.getInt(1));
      }
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
        mode.next();
        assertEquals("wal", mode.getString(1));
      }
    }
    PreloadedTemplates.deleteAll();
    assertFalse(Files.exists(PreloadedTemplates.folder()));
    assertTrue(Files.exists(dir.resolve("b.db")), "a copy is the trial's, not the template's");
  }
}
