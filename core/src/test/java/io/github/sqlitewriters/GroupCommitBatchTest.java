package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code group-commit} runs a batch without savepoints and, only when a task fails, runs it again
 * with them. Whatever the position of the failing tasks in the batch, each caller's outcome must be
 * the one it would have had alone: the failing ones fail with their own exception and leave no row,
 * every other one commits.
 */
class GroupCommitBatchTest {
  static final int BATCH = 10;

  @TempDir Path dir;

  static Stream<Arguments> failingPositions() {
    return Stream.concat(
        IntStream.range(0, BATCH).mapToObj(p -> Arguments.of(Set.of(p))),
        Stream.of(
            Arguments.of(Set.of(2, 7)),
            Arguments.of(Set.of(0, 9)),
            Arguments.of(Set.of(3, 4, 5)),
            Arguments.of(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))));
  }

  @ParameterizedTest(name = "failing at {0}")
  @MethodSource("failingPositions")
  void everyCallerGetsTheOutcomeItWouldHaveHadAlone(Set<Integer> failing) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      TestDb.Hold hold = TestDb.hold(executor);
      List<SQLException> errors = new ArrayList<>();
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int p = 0; p < BATCH; p++) {
        long key = 100 + p;
        SQLException error = new SQLException("task " + p + " fails");
        errors.add(error);
        boolean fails = failing.contains(p);
        futures.add(
            executor.submit(
                c -> {
                  TestDb.insert(key).run(c);
                  if (fails) {
                    throw error;
                  }
                  return key;
                }));
      }
      hold.release();
      for (int p = 0; p < BATCH; p++) {
        long key = 100 + p;
        if (failing.contains(p)) {
          ExecutionException failure =
              org.junit.jupiter.api.Assertions.assertThrows(
                  ExecutionException.class, futures.get(p)::get);
          assertSame(errors.get(p), failure.getCause(), "task " + p + " gets its own exception");
          assertTrue(!TestDb.hasKey(settings, key), "failed task " + p + " left no row");
        } else {
          assertEquals(key, futures.get(p).get(10, TimeUnit.SECONDS));
          assertTrue(TestDb.hasKey(settings, key), "task " + p + " committed");
        }
      }
      assertEquals(BATCH - failing.size(), TestDb.count(settings));
      assertEquals(failing.size(), executor.stats().tasksFailed());
    }
  }
}
