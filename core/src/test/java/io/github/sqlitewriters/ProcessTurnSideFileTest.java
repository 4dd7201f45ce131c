package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The side file through which writers in several processes take turns ({@code <database>-turns}),
 * as one process sees it: created with the database's permissions, absent when turns are off,
 * shared by every executor of the file in one JVM, released when the last closes, and never
 * required: where it cannot be used, writing goes on as without turns and the log says so once. The
 * turns between processes are tested with child JVMs in linearizability-tests (ProcessTurnsTest).
 */
class ProcessTurnSideFileTest {
  private static final String KEEPER_THREAD = "sqlite-writers-turns-";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void aProductStrategyCreatesTheSideFileWithTheDatabasesPermissions(String strategy)
      throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    Files.setPosixFilePermissions(settings.path(), PosixFilePermissions.fromString("rw-r-----"));
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      executor.write(TestDb.insert(1));
      Path side = sideFile(settings);
      assertTrue(Files.isRegularFile(side), "side file beside the database");
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(side)));
      assertEquals(Files.getOwner(settings.path()), Files.getOwner(side));
    }
    assertEquals(1, TestDb.count(settings));
  }

  @Test
  void turnsOffLeaveNoSideFile() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    ExecutorOptions off = ExecutorOptions.builder().processTurns(false).build();
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings, off);
        ImmediateDataSource source = ImmediateDataSource.open(settings, off)) {
      executor.write(TestDb.insert(1));
      insertThrough(source, 2);
    }
    assertFalse(Files.exists(sideFile(settings)));
    assertEquals(2, TestDb.count(settings));
  }

  /**
   * Every product strategy and the DataSource on one file in one JVM, writing at once: one turn for
   * the process (a second lock on the side file from this JVM would throw
   * OverlappingFileLockException, and closing a second descriptor would drop the first's locks).
   * Closing some leaves the others writing; closing the last stops the keeper thread.
   */
  @Test
  void executorsOfOneFileInOneJvmShareOneTurn() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    List<WriteExecutor> executors = new ArrayList<>();
    for (String strategy : TestDb.PRODUCT) {
      executors.add(Strategies.open(strategy, settings));
    }
    ImmediateDataSource source = ImmediateDataSource.open(settings, ExecutorOptions.defaults());
    assertEquals(1, keeperThreads(settings), "one keeper for the file");
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int e = 0; e <= executors.size(); e++) {
      int writer = e;
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 200; i++) {
                    long k = writer * 1_000L + i;
                    if (writer == executors.size()) {
                      insertThrough(source, k);
                    } else {
                      executors.get(writer).write(TestDb.insert(k));
                    }
                  }
                } catch (Exception x) {
                  throw new IllegalStateException(x);
                }
              }));
    }
    for (CompletableFuture<Void> writer : writers) {
      writer.get(60, TimeUnit.SECONDS);
    }
    assertEquals(200L * (executors.size() + 1), TestDb.count(settings));
    executors.remove(0).close();
    source.close();
    for (WriteExecutor executor : executors) {
      executor.write(TestDb.insert(90_000 + executors.indexOf(executor)));
    }
    assertEquals(
        1, keeperThreads(settings), "still one keeper while executors of the file are open");
    executors.forEach(WriteExecutor::close);
    assertEquals(0, keeperThreads(settings), "the last close stopped the keeper");
  }

  /**
   * A side file that cannot be opened (here a directory in its place; a read-only directory or
   * another user's file fail the same way): writing goes on as without turns, and the log says so
   * once, naming the side file.
   */
  @Test
  void anUnusableSideFileMeansNoTurnsAndOneLogLine() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    Files.createDirectory(sideFile(settings));
    List<LogRecord> records = new ArrayList<>();
    Logger logger = Logger.getLogger("io.github.sqlitewriters.internal.process.ProcessTurn");
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      executor.write(TestDb.insert(1));
      executor.write(TestDb.insert(2));
    } finally {
      logger.removeHandler(capture);
    }
    assertEquals(2, TestDb.count(settings));
    assertEquals(1, records.size(), "one line: " + records);
    assertEquals(Level.WARNING, records.get(0).getLevel());
    String line =
        java.text.MessageFormat.format(records.get(0).getMessage(), records.get(0).getParameters());
    assertTrue(line.contains(sideFile(settings).toString()), line);
    assertEquals(0, keeperThreads(settings));
  }

  /**
   * A side file deleted while in use (a clean-up of stray files, say) is made again at the next
   * turn, so that the processes that open the database from then on take turns with this one.
   */
  @Test
  void aDeletedSideFileIsMadeAgainAtTheNextTurn() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      executor.write(TestDb.insert(1));
      Files.delete(sideFile(settings));
      Thread.sleep(20); // the idle turn is given up after half a millisecond
      executor.write(TestDb.insert(2));
      assertTrue(Files.isRegularFile(sideFile(settings)), "side file made again");
    }
    assertEquals(2, TestDb.count(settings));
  }

  /**
   * A DataSource closed while a connection it lent is inside a transaction gives that transaction's
   * turn back: the other writers of the file in this JVM do not wait for a connection the
   * application may never close (before, each waited the 2 s patience).
   */
  @Test
  void closingTheDataSourceGivesBackTheTurnOfAnAbandonedTransaction() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.IMMEDIATE, settings)) {
      ImmediateDataSource source = ImmediateDataSource.open(settings, ExecutorOptions.defaults());
      Connection abandoned = source.getConnection();
      abandoned.setAutoCommit(false);
      try (PreparedStatement insert =
          abandoned.prepareStatement("INSERT INTO t(k, v) VALUES (1, 'abandoned')")) {
        insert.executeUpdate(); // takes the turn, then the write lock
      }
      source.close(); // rolls the transaction back with its connection
      long start = System.nanoTime();
      executor.write(TestDb.insert(2));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(waitedMillis < 1_000, "waited " + waitedMillis + " ms for the turn");
    }
    assertFalse(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 2));
  }

  private static Path sideFile(SqliteSettings settings) {
    return settings.path().resolveSibling(settings.path().getFileName() + "-turns");
  }

  private static void insertThrough(ImmediateDataSource source, long k) throws Exception {
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO t(k, v) VALUES (?, 'value')")) {
        insert.setLong(1, k);
        insert.executeUpdate();
      }
      connection.commit();
    }
  }

  /** The keeper threads of this database's turns (one per file per JVM while it is in use). */
  private static long keeperThreads(SqliteSettings settings) throws java.io.IOException {
    String name = KEEPER_THREAD + settings.path().toRealPath();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .count();
  }
}
