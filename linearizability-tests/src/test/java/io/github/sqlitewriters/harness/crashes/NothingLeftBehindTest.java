package io.github.sqlitewriters.harness.crashes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.harness.ChildProcesses;
import io.github.sqlitewriters.harness.Harness;
import io.github.sqlitewriters.harness.foreignlocks.LockHolder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM that the harness kills must leave nothing in the temporary directory. sqlite-jdbc
 * copies its native library there in every JVM and deletes the copy only at a normal exit, so each
 * killed child used to leave about 1 MB behind (some 80 per build, 2,000 in the stress profile),
 * enough to fill a reused CI runner's disk.
 */
class NothingLeftBehindTest {
  @TempDir Path dir;

  @Test
  void aKilledChildLeavesNoCopyOfTheNativeLibrary() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    SqliteSettings settings = SqliteSettings.builder(dir.resolve("held.db")).build();
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    // After this JVM has its own copy, which it deletes when it exits normally.
    Set<String> before = nativeLibraryCopies(tmp);

    Process holder = ChildProcesses.start(LockHolder.class, settings.path().toString(), "60000");
    BufferedReader output =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("LOCKED", output.readLine());
    holder.destroyForcibly();
    ChildProcesses.cleanedUp(holder).get(30, TimeUnit.SECONDS);

    Set<String> left = nativeLibraryCopies(tmp);
    left.removeAll(before);
    assertEquals(Set.of(), left, "native library copies the killed child left in " + tmp);
  }

  /** sqlite-jdbc's copies of its library and their lock files, by name. */
  private static Set<String> nativeLibraryCopies(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.startsWith("sqlite-") && name.contains("libsqlitejdbc"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
