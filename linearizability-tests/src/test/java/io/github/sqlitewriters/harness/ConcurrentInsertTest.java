package io.github.sqlitewriters.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The original bug's test: many threads each writing one row to an audit log and one to a usage
 * table in one transaction, as the two flush loops did, then exact row counts.
 *
 * <p>Safe strategies: every row, no error. Unsafe ones: allowed to fail callers, never to lose a
 * row silently; every missing pair of rows must match an error its caller saw, and both tables must
 * agree (no transaction half-applied).
 */
class ConcurrentInsertTest {
  @TempDir Path dir;

  static Stream<Arguments> matrix() {
    return Harness.strategies()
        .flatMap(
            name ->
                Stream.of(JournalMode.WAL, JournalMode.DELETE)
                    .flatMap(
                        journal ->
                            Stream.of(Synchronous.NORMAL, Synchronous.FULL)
                                .map(sync -> Arguments.of(name, journal, sync))));
  }

  static Stream<Arguments> heavy() {
    return Harness.STRESS
        ? matrix()
        : Harness.strategies().map(name -> Arguments.of(name, JournalMode.WAL, Synchronous.NORMAL));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("matrix")
  void tenThreadsFiftyInsertsEach(String strategy, JournalMode journal, Synchronous sync)
      throws Exception {
    check(strategy, journal, sync, 10, 50);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("heavy")
  void thirtyTwoThreadsFiveHundredInsertsEach(
      String strategy, JournalMode journal, Synchronous sync) throws Exception {
    check(strategy, journal, sync, 32, 500);
  }

  private void check(
      String strategy, JournalMode journal, Synchronous sync, int threads, int perThread)
      throws Exception {
    SqliteSettings settings = Harness.settings(dir, journal, sync);
    Harness.setUp(
        settings,
        "CREATE TABLE audit_log(id INTEGER PRIMARY KEY, caller INTEGER, seq INTEGER, event TEXT)",
        "CREATE TABLE usage(id INTEGER PRIMARY KEY, caller INTEGER, seq INTEGER, units INTEGER)");
    Harness.Tally tally;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      tally =
          Harness.runCallers(
              executor,
              threads,
              perThread,
              (writer, thread, index) ->
                  writer.write(
                      c -> {
                        try (PreparedStatement audit =
                                c.prepareStatement(
                                    "INSERT INTO audit_log(caller, seq, event) VALUES (?, ?, 'request')");
                            PreparedStatement usage =
                                c.prepareStatement(
                                    "INSERT INTO usage(caller, seq, units) VALUES (?, ?, 1)")) {
                          audit.setInt(1, thread);
                          audit.setInt(2, index);
                          audit.executeUpdate();
                          usage.setInt(1, thread);
                          usage.setInt(2, index);
                          usage.executeUpdate();
                        }
                        return null;
                      }));
    }
    long attempted = (long) threads * perThread;
    long audit = Harness.queryLong(settings.path(), "SELECT count(*) FROM audit_log");
    long usage = Harness.queryLong(settings.path(), "SELECT count(*) FROM usage");
    Harness.report(
        String.format(
            "concurrent-insert %dx%d %s %s %s: %d of %d rows kept, %s",
            threads, perThread, strategy, journal, sync, audit, attempted, tally));

    assertEquals(attempted, tally.committed() + tally.failed(), "every write was accounted for");
    assertEquals(audit, usage, "no transaction was half applied");
    assertEquals(
        tally.committed(), audit, "every acknowledged write is there and no failed one is");
    if (Harness.claimsSafety(strategy)) {
      assertEquals(attempted, audit, strategy + " keeps every row");
      assertEquals(0, tally.failed(), strategy + " fails no caller");
    }
    if (strategy.equals(Strategies.DEFERRED_NO_TIMEOUT)) {
      assertTrue(tally.busy() > 0, "the negative control shows SQLITE_BUSY reaching callers");
    }
  }
}
