package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads writing at once through the strategies that promise to lose nothing. The harness
 * module covers every strategy and its failures in depth; this keeps core honest on its own.
 */
class ConcurrentWritesTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"single-connection", "immediate", "serialized-writer", "group-commit"})
  void everyWriteFromEveryThreadIsKept(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    int threads = 8;
    int perThread = 100;
    AtomicLong keys = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      List<CompletableFuture<Void>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        callers.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    try {
                      executor.write(TestDb.insert(keys.incrementAndGet()));
                    } catch (Exception e) {
                      throw new AssertionError(strategy + " failed a write", e);
                    }
                  }
                },
                pool));
      }
      for (CompletableFuture<Void> caller : callers) {
        caller.get(60, TimeUnit.SECONDS);
      }
      assertEquals(threads * perThread, TestDb.count(settings));
      ExecutorStats stats = executor.stats();
      assertEquals(threads * perThread, stats.tasksCommitted());
      assertEquals(0, stats.busyFailures());
      assertEquals(0, stats.tasksFailed());
    } finally {
      pool.shutdownNow();
    }
  }
}
