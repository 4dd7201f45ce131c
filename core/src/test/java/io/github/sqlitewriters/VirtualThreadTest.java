package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1,000 virtual threads whose work blocks briefly inside its transaction (a 1 ms sleep, standing
 * for any I/O or lock). A virtual thread inside a native call keeps its carrier, so a strategy that
 * lets callers wait inside SQLite's busy handler can occupy every carrier while the virtual thread
 * holding the write lock is parked and cannot get one back to COMMIT. Every product strategy must
 * finish 2,000 writes, none failing, well inside the bound.
 *
 * <p>Runs where the JVM has virtual threads (JDK 21+); the build runs it on the Temurin 25 JDK when
 * the default JDK is older (see the {@code virtual-threads} profile).
 */
class VirtualThreadTest {
  private static final int THREADS = 1_000;
  private static final int WRITES = 2_000;
  private static final long BOUND_SECONDS = 60;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void thousandVirtualThreadsWithBlockingWorkFinish(String strategy) throws Exception {
    ExecutorService threads = virtualThreads();
    assumeTrue(threads != null, "this JVM has no virtual threads");
    SqliteSettings settings = TestDb.tableIn(dir);
    LongAdder failed = new LongAdder();
    long start = System.nanoTime();
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      List<Future<?>> callers = new ArrayList<>();
      if (strategy.equals(Strategies.GROUP_COMMIT)) {
        // Reads on reader connections, from virtual threads too, beside the writes.
        callers.addAll(startReaders(executor, threads));
      }
      callers.addAll(
          startWriters(
              threads,
              failed,
              key ->
                  executor.write(
                      c -> {
                        TestDb.insert(key).run(c);
                        blockBriefly();
                        return key;
                      })));
      long deadline = start + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      for (Future<?> caller : callers) {
        try {
          caller.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError(
              strategy
                  + " stalled: "
                  + TestDb.count(settings)
                  + " of "
                  + WRITES
                  + " writes committed in "
                  + BOUND_SECONDS
                  + " s");
        }
      }
    } finally {
      threads.shutdownNow();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println(
        "[virtual-threads] "
            + strategy
            + ": "
            + WRITES
            + " writes from "
            + THREADS
            + " virtual threads in "
            + millis
            + " ms, "
            + failed.sum()
            + " failed");
    assertEquals(0, failed.sum(), "no write failed");
    assertEquals(WRITES, TestDb.count(settings));
    assertTrue(millis < TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
  }

  /**
   * The DataSource's writers take the same turns as {@code immediate}: 1,000 virtual threads, each
   * with its own connection and a transaction that blocks inside, all commit in bounded time.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void thousandVirtualThreadsThroughTheDataSourceFinish(String name) throws Exception {
    ExecutorService threads = virtualThreads();
    assumeTrue(threads != null, "this JVM has no virtual threads");
    SqliteSettings settings = TestDb.tableIn(dir);
    LongAdder failed = new LongAdder();
    try (PoolDataSource dataSource =
        TestDb.dataSource(
            name, settings, ExecutorOptions.builder().maxConnections(THREADS).build())) {
      List<Future<?>> callers =
          startWriters(
              threads,
              failed,
              key -> {
                try (java.sql.Connection c = dataSource.getConnection()) {
                  c.setAutoCommit(false);
                  TestDb.insert(key).run(c);
                  blockBriefly();
                  c.commit();
                }
              });
      for (Future<?> caller : callers) {
        caller.get(BOUND_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(0, failed.sum(), "no transaction failed");
    assertEquals(WRITES, TestDb.count(settings));
  }

  /**
   * The negative control: {@code deferred-retry} waits for the lock inside SQLite's busy handler, a
   * native call, so its virtual callers hold the carriers the lock holder needs, each for a whole
   * busy timeout. Here 100 callers, a 100 ms busy timeout and a 1 s busy deadline: most fail busy
   * instead of committing. (With 1,000 callers, a 500 ms timeout and a 2 s deadline, 15 of 1,000
   * committed and the run took 8 minutes; with the defaults, none of 2,000 in 60 s.)
   */
  @org.junit.jupiter.api.Test
  void deferredRetryStallsOnVirtualThreads() throws Exception {
    ExecutorService threads = virtualThreads();
    assumeTrue(threads != null, "this JVM has no virtual threads");
    int callers = 100;
    SqliteSettings settings = TestDb.tableIn(dir).withBusyTimeout(Duration.ofMillis(100));
    ExecutorOptions options = ExecutorOptions.builder().busyDeadline(Duration.ofSeconds(1)).build();
    LongAdder busy = new LongAdder();
    long start = System.nanoTime();
    try (WriteExecutor executor = Strategies.open(Strategies.DEFERRED_RETRY, settings, options)) {
      List<Future<?>> started = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        long key = t;
        started.add(
            threads.submit(
                () -> {
                  try {
                    executor.write(
                        c -> {
                          TestDb.insert(key).run(c);
                          blockBriefly();
                          return key;
                        });
                  } catch (SqliteBusyException e) {
                    busy.increment();
                  }
                  return null;
                }));
      }
      for (Future<?> caller : started) {
        caller.get(BOUND_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    long committed = TestDb.count(settings);
    System.out.println(
        "[virtual-threads] deferred-retry: "
            + committed
            + " of "
            + callers
            + " writes committed, "
            + busy.sum()
            + " failed busy (1 s deadline), "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms");
    assertTrue(busy.sum() > 0 && committed < callers / 2, committed + " committed");
  }

  /** One write of a virtual caller: the row with this key. */
  @FunctionalInterface
  private interface KeyedWrite {
    void write(long key) throws SQLException;
  }

  /**
   * Starts {@link #THREADS} virtual callers, each writing {@code WRITES / THREADS} keys of its own;
   * a write that throws is counted in {@code failed}.
   */
  private static List<Future<?>> startWriters(
      ExecutorService threads, LongAdder failed, KeyedWrite write) {
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      callers.add(
          threads.submit(
              () -> {
                for (int i = 0; i < WRITES / THREADS; i++) {
                  try {
                    write.write(thread * 10L + i);
                  } catch (SQLException e) {
                    failed.increment();
                  }
                }
                return null;
              }));
    }
    return callers;
  }

  /** 200 virtual threads reading 5 times each, each read blocking briefly inside its snapshot. */
  private static List<Future<?>> startReaders(WriteExecutor executor, ExecutorService threads) {
    List<Future<?>> readers = new ArrayList<>();
    for (int r = 0; r < 200; r++) {
      readers.add(
          threads.submit(
              () -> {
                for (int i = 0; i < 5; i++) {
                  executor.read(
                      c -> {
                        blockBriefly();
                        return MisusedConnectionTest.queryString(c, "SELECT count(*) FROM t");
                      });
                }
                return null;
              }));
    }
    return readers;
  }

  private static void blockBriefly() throws SQLException {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }

  /** A virtual-thread-per-task executor, or null before JDK 21 (the build's baseline is 17). */
  static ExecutorService virtualThreads() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
