package io.github.sqlitewriters.harness.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.harness.ChildProcesses;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several JVMs writing one file: every write kept. In-process coordination (a lock, a writer
 * thread) means nothing to another process; SQLite's own locks do, and the product strategies'
 * turns across processes order them on top ({@link ProcessTurnsTest} tests those). The product
 * strategies take the write lock with BEGIN IMMEDIATE, retried to the busy deadline, so they stay
 * correct here.
 */
class MultiProcessTest {
  private static final Pattern RESULT =
      Pattern.compile("RESULT committed=(\\d+) failed=(\\d+) busy=(\\d+)");

  @TempDir Path dir;

  private final int processes = 4;
  private final int threads = 4;
  private final int perThread = Harness.STRESS ? 2_000 : 200;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#product")
  void productStrategiesKeepEveryRowAcrossProcesses(String strategy) throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(
        settings,
        "CREATE TABLE t(id INTEGER PRIMARY KEY, process INTEGER, thread INTEGER, seq INTEGER)");
    long[] totals = runChildren(settings, strategy, "insert");
    long rows = Harness.queryLong(settings.path(), "SELECT count(*) FROM t");
    long distinct =
        Harness.queryLong(
            settings.path(), "SELECT count(*) FROM (SELECT DISTINCT process, thread, seq FROM t)");
    Harness.report(
        String.format(
            "multi-process %dx%dx%d %s inserts: %d rows, %d committed, %d failed, %d busy",
            processes, threads, perThread, strategy, rows, totals[0], totals[1], totals[2]));
    long attempted = (long) processes * threads * perThread;
    assertEquals(attempted, rows, "every row from every process");
    assertEquals(attempted, distinct, "no row written twice");
    assertEquals(attempted, totals[0]);
    assertEquals(0, totals[1], "no caller in any process failed");
  }

  /**
   * One shared connection per process does not make processes take turns: read-modify-write
   * transactions in different processes still meet in SQLite and fail the lock upgrade.
   */
  @Test
  void singleConnectionCannotGuardAgainstOtherProcesses() throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(
        settings,
        "CREATE TABLE counter(id INTEGER PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO counter VALUES (1, 0)");
    long[] totals = runChildren(settings, Strategies.SINGLE_CONNECTION, "increment");
    long value = Harness.queryLong(settings.path(), "SELECT value FROM counter WHERE id = 1");
    Harness.report(
        String.format(
            "multi-process %dx%dx%d single-connection increments: counter %d, %d committed, %d"
                + " failed, %d busy",
            processes, threads, perThread, value, totals[0], totals[1], totals[2]));
    assertEquals(totals[0], value, "failed increments are visible failures, not lost updates");
    assertTrue(totals[2] > 0, "busy failures reached callers across processes");
  }

  @Test
  void groupCommitIncrementsAcrossProcessesAreExact() throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(
        settings,
        "CREATE TABLE counter(id INTEGER PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO counter VALUES (1, 0)");
    long[] totals = runChildren(settings, Strategies.GROUP_COMMIT, "increment");
    long value = Harness.queryLong(settings.path(), "SELECT value FROM counter WHERE id = 1");
    Harness.report(
        String.format(
            "multi-process %dx%dx%d group-commit increments: counter %d, %d failed",
            processes, threads, perThread, value, totals[1]));
    assertEquals((long) processes * threads * perThread, value);
    assertEquals(0, totals[1]);
  }

  /** Starts the children together, waits for all, and adds up their committed, failed, busy. */
  private long[] runChildren(SqliteSettings settings, String strategy, String workload)
      throws Exception {
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      children.add(
          ChildProcesses.start(
              ChildWriter.class,
              settings.path().toString(),
              strategy,
              Integer.toString(threads),
              Integer.toString(perThread),
              Integer.toString(p),
              workload));
    }
    long[] totals = new long[3];
    for (Process child : children) {
      String output = ChildProcesses.finish(child, 300);
      Matcher result = RESULT.matcher(output);
      assertTrue(result.find(), "child printed its result: " + output);
      for (int i = 0; i < 3; i++) {
        totals[i] += Long.parseLong(result.group(i + 1));
      }
    }
    return totals;
  }
}
