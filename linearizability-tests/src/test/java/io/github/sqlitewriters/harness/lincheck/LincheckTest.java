package io.github.sqlitewriters.harness.lincheck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linearizability of a SQLite-backed store through each strategy, checked by Lincheck in stress
 * mode: real threads, real SQLite files, answers compared with {@link SequentialStore}.
 *
 * <p>Stress mode only: Lincheck's model checker cannot see SQLite's native locks, so it would both
 * miss the lock-upgrade race and report false failures. Scenario minimization is off because it
 * takes minutes on SQLite-backed scenarios and adds nothing to a pass/fail answer.
 */
class LincheckTest {
  @org.junit.jupiter.api.BeforeAll
  static void deleteLincheckJarAtExit() {
    LincheckJars.deleteAtExit();
  }

  @TempDir Path dir;

  @AfterEach
  void closeLastStore() {
    SqliteStore.closePrevious();
  }

  private StressOptions options() {
    return new StressOptions()
        .iterations(Harness.STRESS ? 100 : 15)
        .invocationsPerIteration(Harness.STRESS ? 500 : 60)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .minimizeFailedScenario(false)
        .sequentialSpecification(SequentialStore.class);
  }

  private void check(String strategy) {
    SqliteStore.strategy = strategy;
    SqliteStore.directory = dir;
    options().check(SqliteStore.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#product")
  void productStrategiesAreLinearizable(String strategy) {
    check(strategy);
    Harness.report("lincheck " + strategy + ": linearizable");
  }

  /**
   * deferred-retry reruns what SQLite refuses. single-connection is left out: its read-then-write
   * operations can meet a rare SQLITE_BUSY while readers run (see {@code InvariantTest.BANK}), so a
   * pass would prove nothing and a failure would be luck.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {Strategies.DEFERRED_RETRY})
  void retryingStrategyIsLinearizable(String strategy) {
    check(strategy);
    Harness.report("lincheck " + strategy + ": linearizable");
  }

  /** The negative controls: Lincheck must catch the busy failures these let reach callers. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {Strategies.DEFERRED_NO_TIMEOUT, Strategies.DEFERRED_BUSY_TIMEOUT})
  void brokenStrategiesAreCaught(String strategy) {
    AssertionError caught = assertThrows(AssertionError.class, () -> check(strategy));
    String report = String.valueOf(caught.getMessage());
    assertTrue(report.contains("SqliteBusyException"), report);
    Harness.report(
        "lincheck " + strategy + ": not linearizable (SqliteBusyException reached a caller)");
  }
}
