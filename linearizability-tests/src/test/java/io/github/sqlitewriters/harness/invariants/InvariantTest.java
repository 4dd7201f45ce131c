package io.github.sqlitewriters.harness.invariants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.Expectations;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jepsen-style invariants, checked on the database after concurrent read-modify-write transactions.
 * Each transaction reads values and writes back values computed in Java, the shape that loses
 * updates when two transactions interleave. A strategy may fail a caller; it may never lose or
 * invent an update, so every committed transfer and increment must show in the end state.
 */
public class InvariantTest {
  private static final int ACCOUNTS = 8;
  private static final long INITIAL = 1_000;

  /**
   * Transfers beside readers. {@code single-connection} drops out of the safe ones here: its
   * DEFERRED transactions upgrade their lock, and SQLite refuses an upgrade at once while any
   * connection holds the WAL write lock, which a reader takes for a moment when it catches the WAL
   * index mid-update (1 or 2 failed transfers of 600 in about one run in six). hikari-pool failed
   * 15 to 157 of 600 in three runs of 2026-11-24, too close to none to assert; the two deferred
   * controls at least 261.
   */
  public static final Expectations BANK =
      Expectations.of("bank")
          .keepsEveryWrite(
              Harness.without(Harness.SAFE_IN_PROCESS, Strategies.SINGLE_CONNECTION),
              Harness.SAFE_REASON)
          .failsCallersWithBusy(
              Harness.without(Harness.DEFERRED, Strategies.HIKARI_POOL), Harness.UPGRADE_REFUSED)
          .mayFailCallers(
              Set.of(Strategies.SINGLE_CONNECTION),
              "DEFERRED upgrade refused while a reader holds the WAL write lock, rarely")
          .mayFailCallers(
              Set.of(Strategies.HIKARI_POOL), Harness.UPGRADE_REFUSED + ", too rarely to assert")
          .build();

  /** Read-modify-write increments of one counter, no readers beside them. */
  private static final Expectations LOST_UPDATE = Harness.readThenWrite("lost-update");

  @TempDir Path dir;

  /**
   * Random transfers between accounts while readers sum them: every sum read equals the initial
   * total, and each account ends at its initial balance plus the committed transfers' deltas.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#strategies")
  void bankTransfersKeepTheTotalAndEveryCommittedDelta(String strategy) throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    List<String> setup = new ArrayList<>();
    setup.add("CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
    for (int i = 0; i < ACCOUNTS; i++) {
      setup.add("INSERT INTO accounts(id, balance) VALUES (" + i + ", " + INITIAL + ")");
    }
    Harness.setUp(settings, setup.toArray(new String[0]));
    AtomicLongArray committedDeltas = new AtomicLongArray(ACCOUNTS);
    LongAdder totalsRead = new LongAdder();
    LongAdder wrongTotals = new LongAdder();
    LongAdder readFailures = new LongAdder();
    AtomicBoolean writing = new AtomicBoolean(true);
    int threads = 6;
    int perThread = Harness.STRESS ? 1_000 : 100;
    Harness.Tally tally;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      List<CompletableFuture<Void>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            CompletableFuture.runAsync(
                () -> {
                  while (writing.get()) {
                    try {
                      long total = executor.read(InvariantTest::total);
                      totalsRead.increment();
                      if (total != ACCOUNTS * INITIAL) {
                        wrongTotals.increment();
                      }
                    } catch (SQLException e) {
                      readFailures.increment();
                    }
                  }
                }));
      }
      try {
        tally =
            Harness.runCallers(
                executor,
                threads,
                perThread,
                (writer, thread, index) -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  int from = random.nextInt(ACCOUNTS);
                  int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                  long amount = 1 + random.nextInt(50);
                  if (writer.write(c -> transfer(c, from, to, amount))) {
                    committedDeltas.addAndGet(from, -amount);
                    committedDeltas.addAndGet(to, amount);
                  }
                });
      } finally {
        writing.set(false);
        for (CompletableFuture<Void> reader : readers) {
          reader.get(1, TimeUnit.MINUTES);
        }
      }
    }
    long finalTotal = Harness.queryLong(settings.path(), "SELECT sum(balance) FROM accounts");
    long accountsOff = 0;
    for (int i = 0; i < ACCOUNTS; i++) {
      long balance =
          Harness.queryLong(settings.path(), "SELECT balance FROM accounts WHERE id = " + i);
      if (balance != INITIAL + committedDeltas.get(i)) {
        accountsOff++;
      }
    }
    Harness.report(
        String.format(
            "bank %dx%d %s: transfers %s; %d totals read, %d wrong, %d read failures;"
                + " final total %d; %d accounts off their committed deltas",
            threads,
            perThread,
            strategy,
            tally,
            totalsRead.sum(),
            wrongTotals.sum(),
            readFailures.sum(),
            finalTotal,
            accountsOff));
    assertEquals(ACCOUNTS * INITIAL, finalTotal, "money is neither created nor destroyed");
    assertEquals(0, wrongTotals.sum(), "every total read saw one consistent snapshot");
    assertEquals(0, accountsOff, "every committed transfer, and only those, is in the balances");
    assertTrue(totalsRead.sum() > 0, "the readers ran beside the writers");
    BANK.check(strategy, tally, (long) threads * perThread);
  }

  /** K threads each increment one counter M times by read-modify-write: the end value is exact. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#strategies")
  void lostUpdateCounterEndsAtExactlyTheCommittedIncrements(String strategy) throws Exception {
    SqliteSettings settings = Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL);
    Harness.setUp(
        settings,
        "CREATE TABLE counter(id INTEGER PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO counter(id, value) VALUES (1, 0)");
    int threads = 8;
    int perThread = Harness.STRESS ? 2_000 : 100;
    Harness.Tally tally;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      tally =
          Harness.runCallers(
              executor, threads, perThread, (w, t, i) -> w.write(InvariantTest::increment));
    }
    long value = Harness.queryLong(settings.path(), "SELECT value FROM counter WHERE id = 1");
    Harness.report(
        String.format(
            "lost-update %dx%d %s: counter %d, increments %s",
            threads, perThread, strategy, value, tally));
    assertEquals(tally.committed(), value, "no committed increment was lost, none invented");
    LOST_UPDATE.check(strategy, tally, (long) threads * perThread);
  }

  public static long increment(Connection c) throws SQLException {
    long value;
    try (Statement statement = c.createStatement();
        ResultSet result = statement.executeQuery("SELECT value FROM counter WHERE id = 1")) {
      result.next();
      value = result.getLong(1);
    }
    try (PreparedStatement update =
        c.prepareStatement("UPDATE counter SET value = ? WHERE id = 1")) {
      update.setLong(1, value + 1);
      update.executeUpdate();
    }
    return value + 1;
  }

  public static boolean transfer(Connection c, int from, int to, long amount) throws SQLException {
    long fromBalance = balance(c, from);
    long toBalance = balance(c, to);
    if (fromBalance < amount) {
      return false;
    }
    setBalance(c, from, fromBalance - amount);
    setBalance(c, to, toBalance + amount);
    return true;
  }

  public static long total(Connection c) throws SQLException {
    try (Statement statement = c.createStatement();
        ResultSet result = statement.executeQuery("SELECT sum(balance) FROM accounts")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static long balance(Connection c, int account) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
      select.setInt(1, account);
      try (ResultSet result = select.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static void setBalance(Connection c, int account, long balance) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE accounts SET balance = ? WHERE id = ?")) {
      update.setLong(1, balance);
      update.setInt(2, account);
      update.executeUpdate();
    }
  }
}
