package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sqlitewriters.internal.sql.SqliteErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real full file system, not {@code max_page_count}: a 3 MiB tmpfs, which fills up while SQLite
 * writes the WAL at COMMIT. The executor must tell every caller the truth, and once space is freed
 * it must write again; a full disk must not leave it failing every later write. Needs root (to
 * mount the tmpfs); skipped elsewhere.
 */
class FullDiskTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void writesSucceedAgainOnceSpaceIsFreed(String strategy) throws Exception {
    Path small = Files.createDirectory(dir.resolve("small"));
    assumeTrue(mountTmpfs(small), "needs root to mount a small tmpfs");
    try {
      Path filler = small.resolve("filler");
      Files.write(filler, new byte[768 * 1024]);
      SqliteSettings settings = TestDb.tableIn(small);
      String big = "x".repeat(3000);
      List<Long> acknowledged = new ArrayList<>();
      List<Long> failed = new ArrayList<>();
      SQLException full = null;
      try (WriteExecutor executor = Strategies.open(strategy, settings)) {
        for (long k = 1; k <= 5000 && failed.size() < 5; k++) {
          long key = k;
          try {
            executor.write(c -> insert(c, key, big));
            acknowledged.add(key);
          } catch (SQLException e) {
            failed.add(key);
            full = full == null ? e : full;
          }
        }
        assertTrue(full != null, "the file system filled up");
        assertTrue(
            String.valueOf(full.getMessage()).contains("full")
                || SqliteErrors.resultCode(full) == 13,
            String.valueOf(full));

        Files.delete(filler);
        int succeeded = 0;
        for (long k = 100_000; k < 100_020; k++) {
          long key = k;
          executor.write(c -> insert(c, key, "small"));
          acknowledged.add(key);
          succeeded++;
        }
        assertEquals(20, succeeded, "every write succeeds once space is freed");
      }
      for (long k : acknowledged) {
        assertTrue(TestDb.hasKey(settings, k), "acknowledged key " + k + " is in the database");
      }
      for (long k : failed) {
        assertFalse(TestDb.hasKey(settings, k), "failed key " + k + " is not");
      }
    } finally {
      TestDb.run("umount", small.toString());
    }
  }

  private static int insert(java.sql.Connection c, long k, String v) throws SQLException {
    try (Statement statement = c.createStatement()) {
      return statement.executeUpdate("INSERT INTO t(k, v) VALUES (" + k + ", '" + v + "')");
    }
  }

  static boolean mountTmpfs(Path at) {
    if (!"root".equals(System.getProperty("user.name"))) {
      return false;
    }
    try {
      TestDb.run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", at.toString());
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
