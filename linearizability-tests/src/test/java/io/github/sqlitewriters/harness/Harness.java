package io.github.sqlitewriters.harness;

import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What every harness test shares: which strategies claim safety, databases, and counting. */
public final class Harness {

  /**
   * The strategies that claim to keep every write and never fail a caller with SQLITE_BUSY inside
   * one process. {@code deferred-retry} gets there by rerunning transactions within its deadline.
   */
  public static final Set<String> SAFE_IN_PROCESS =
      Set.of(
          Strategies.DEFERRED_RETRY,
          Strategies.SINGLE_CONNECTION,
          Strategies.IMMEDIATE,
          Strategies.SERIALIZED_WRITER,
          Strategies.GROUP_COMMIT);

  /** Why {@link #SAFE_IN_PROCESS} keep every write: the reason the tests' declarations give. */
  public static final String SAFE_REASON =
      "one writer at a time in this process, or BEGIN IMMEDIATE, or reruns within its deadline";

  /** The strategies whose transactions begin DEFERRED and fail when they meet another writer. */
  public static final Set<String> DEFERRED =
      Set.of(
          Strategies.DEFERRED_NO_TIMEOUT, Strategies.DEFERRED_BUSY_TIMEOUT, Strategies.HIKARI_POOL);

  /**
   * Why {@link #DEFERRED} fail read-then-write transactions: SQLite refuses the lock upgrade at
   * once, without calling the busy handler, when another connection wrote since the read.
   */
  public static final String UPGRADE_REFUSED =
      "DEFERRED: reads first, and SQLite refuses the upgrade at once, busy timeout or not";

  /**
   * The declarations of the read-then-write tests without readers beside them: the safe strategies
   * keep every write, the deferred ones are negative controls. Fewest failures in three runs of
   * 2026-11-24: read-then-write 117 of 800, lost-update 69 of 800 (both hikari-pool).
   */
  public static Expectations readThenWrite(String test) {
    return Expectations.of(test)
        .keepsEveryWrite(SAFE_IN_PROCESS, SAFE_REASON)
        .failsCallersWithBusy(DEFERRED, UPGRADE_REFUSED)
        .build();
  }

  /** The set without one strategy: a test's declarations built from the shared sets above. */
  public static Set<String> without(Set<String> strategies, String left) {
    return strategies.stream().filter(s -> !s.equals(left)).collect(Collectors.toSet());
  }

  /** Whether the long runs behind the {@code stress} profile are on. */
  public static final boolean STRESS = Boolean.getBoolean("harness.stress");

  private Harness() {}

  public static Stream<String> strategies() {
    return Strategies.names().stream();
  }

  public static Stream<String> product() {
    return Strategies.names(Strategies.Kind.PRODUCT).stream();
  }

  public static SqliteSettings settings(Path dir, JournalMode journal, Synchronous synchronous) {
    return SqliteSettings.builder(dir.resolve("harness.db"))
        .journalMode(journal)
        .synchronous(synchronous)
        .build();
  }

  /** Runs statements on a connection of the settings, outside any executor. */
  public static void setUp(SqliteSettings settings, String... statements) throws SQLException {
    try (Connection connection = settings.openConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** One number read through a plain connection of its own, outside any executor. */
  public static long queryLong(Path db, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  public static String integrityCheck(Path db) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
      result.next();
      return result.getString(1);
    }
  }

  /** How callers' writes ended: each attempt is counted once, as committed or as failed. */
  public static final class Tally {
    final LongAdder committed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder busy = new LongAdder();
    public final java.util.Map<String, LongAdder> busyCodes =
        new java.util.concurrent.ConcurrentSkipListMap<>();
    public final java.util.Map<String, LongAdder> otherErrors =
        new java.util.concurrent.ConcurrentHashMap<>();

    public void failed(Throwable error) {
      failed.increment();
      if (error instanceof SqliteBusyException) {
        busy.increment();
        busyCodes
            .computeIfAbsent(((SqliteBusyException) error).code().name(), k -> new LongAdder())
            .increment();
      } else {
        otherErrors
            .computeIfAbsent(
                error.getClass().getSimpleName() + ": " + error.getMessage(), k -> new LongAdder())
            .increment();
      }
    }

    public long committed() {
      return committed.sum();
    }

    public long failed() {
      return failed.sum();
    }

    public long busy() {
      return busy.sum();
    }

    @Override
    public String toString() {
      return committed()
          + " committed, "
          + failed()
          + " failed ("
          + busy()
          + " busy"
          + (busyCodes.isEmpty() ? "" : " " + busyCodes)
          + ")"
          + (otherErrors.isEmpty() ? "" : " other errors: " + otherErrors);
    }
  }

  /** A write a caller makes, as the harness sees it. */
  @FunctionalInterface
  public interface CallerWrite {
    public void run(WriteExecutor executor, int thread, int index) throws Exception;
  }

  /**
   * Runs {@code threads} callers, each making {@code perThread} writes, started together, and
   * counts how each write ended. Bounded: every caller must finish within the timeout.
   */
  public static Tally runCallers(
      WriteExecutor executor, int threads, int perThread, CallerWrite write) throws Exception {
    Tally tally = new Tally();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Void> caller =
            () -> {
              start.await();
              for (int i = 0; i < perThread; i++) {
                try {
                  write.run(executor, thread, i);
                  tally.committed.increment();
                } catch (Exception e) {
                  tally.failed(e);
                }
              }
              return null;
            };
        callers.add(pool.submit(caller));
      }
      start.countDown();
      for (Future<?> caller : callers) {
        caller.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return tally;
  }

  /** Whether this test run has written its first report line (which starts the file afresh). */
  private static boolean reportStarted;

  /**
   * Adds a line to the harness report ({@code target/harness-report.txt}) and prints it, so a run
   * leaves the counts behind for the README's table. The first line of a run starts the file
   * afresh, under a header with the time: counts of earlier runs never mix with this one's.
   */
  public static synchronized void report(String line) {
    System.out.println("[harness] " + line);
    try {
      Path report = Path.of("target", "harness-report.txt");
      Files.createDirectories(report.getParent());
      String text = line + System.lineSeparator();
      if (!reportStarted) {
        text =
            "# harness run of "
                + java.time.Instant.now()
                + (STRESS ? " (stress profile)" : "")
                + System.lineSeparator()
                + text;
      }
      Files.writeString(
          report,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          reportStarted ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      reportStarted = true;
    } catch (IOException e) {
      System.out.println("[harness] cannot write report: " + e);
    }
  }
}
