package io.github.sqlitewriters.harness.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.harness.ChildProcesses;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million writes submitted from 64 threads through group-commit, in a JVM limited to 128 MiB of
 * heap: the bounded queue holds submitters back, so there is no OutOfMemoryError, every write is
 * committed or failed explicitly, and the heap stays small. The figure is printed for the README.
 */
class LoadTest {
  private static final Pattern RESULT =
      Pattern.compile("RESULT committed=(\\d+) failed=(\\d+) maxHeapMb=(\\d+) xmxMb=(\\d+)");

  @TempDir Path dir;

  @Test
  void aMillionSubmittedWritesStayWithinABoundedHeap() throws Exception {
    long total = Harness.STRESS ? 10_000_000 : 1_000_000;
    SqliteSettings settings = SqliteSettings.builder(dir.resolve("load.db")).build();
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL)");
    long start = System.nanoTime();
    Process child =
        ChildProcesses.start(
            LoadWriter.class,
            java.util.List.of("-Xmx128m"),
            settings.path().toString(),
            Strategies.GROUP_COMMIT,
            "64",
            Long.toString(total));
    String output = ChildProcesses.finish(child, 600);
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    Matcher result = RESULT.matcher(output);
    assertTrue(result.find(), "the load writer finished: " + output);
    long committed = Long.parseLong(result.group(1));
    long failed = Long.parseLong(result.group(2));
    long rows = Harness.queryLong(settings.path(), "SELECT count(*) FROM t");
    Harness.report(
        String.format(
            "load group-commit 64 threads: %d submitted, %d committed, %d failed, %d rows, max heap"
                + " used %s MiB of %s MiB, %d s",
            total, committed, failed, rows, result.group(3), result.group(4), seconds));
    assertEquals(total, committed + failed, "every write committed or failed explicitly");
    assertEquals(committed, rows, "every committed write is in the file");
    assertEquals(0, failed, "with the default 10 s submit timeout no submitter was refused");
  }
}
