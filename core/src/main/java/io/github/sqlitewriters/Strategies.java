package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.comparison.DeferredExecutor;
import io.github.sqlitewriters.internal.comparison.DeferredRetryExecutor;
import io.github.sqlitewriters.internal.comparison.HikariPoolExecutor;
import io.github.sqlitewriters.internal.comparison.SingleConnectionExecutor;
import io.github.sqlitewriters.internal.executor.GroupCommitExecutor;
import io.github.sqlitewriters.internal.executor.ImmediateExecutor;
import io.github.sqlitewriters.internal.executor.SerializedWriterExecutor;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Every write strategy by its stable kebab-case name, the one name used in code, benchmark
 * parameters, test names, published results and the README.
 *
 * <p>Comparison strategies, kept to show what common setups do: {@value #DEFERRED_NO_TIMEOUT},
 * {@value #DEFERRED_BUSY_TIMEOUT}, {@value #DEFERRED_RETRY}, {@value #HIKARI_POOL}, {@value
 * #SINGLE_CONNECTION}. The product: {@value #IMMEDIATE}, {@value #SERIALIZED_WRITER} and {@value
 * #GROUP_COMMIT}. Each strategy's facts (its {@link Kind}, how it {@link Runs}, how it opens) are
 * kept in one table here, which tests, benchmarks and reports read instead of a list of their own.
 *
 * <pre>{@code
 * SqliteSettings settings = SqliteSettings.builder(Path.of("app.db")).build();
 * try (WriteExecutor writes = Strategies.open("group-commit", settings)) {
 *   writes.write(c -> c.createStatement().executeUpdate("INSERT INTO t(v) VALUES ('x')"));
 * }
 * }</pre>
 */
public final class Strategies {
  /** A connection per concurrent caller, DEFERRED transactions, busy_timeout=0. */
  public static final String DEFERRED_NO_TIMEOUT = "deferred-no-timeout";

  /** A connection per concurrent caller, DEFERRED transactions, the settings' busy timeout. */
  public static final String DEFERRED_BUSY_TIMEOUT = "deferred-busy-timeout";

  /** DEFERRED transactions rerun whole on busy, with backoff and jitter, to a deadline. */
  public static final String DEFERRED_RETRY = "deferred-retry";

  /** A HikariCP pool with its default settings, DEFERRED transactions. */
  public static final String HIKARI_POOL = "hikari-pool";

  /** One connection shared behind a fair lock. */
  public static final String SINGLE_CONNECTION = "single-connection";

  /**
   * BEGIN IMMEDIATE ... COMMIT on the caller's thread, callers taking turns in arrival order,
   * another process's lock polled with parks in Java, to a deadline.
   */
  public static final String IMMEDIATE = "immediate";

  /** One writer thread, one transaction per task, FIFO. */
  public static final String SERIALIZED_WRITER = "serialized-writer";

  /** One writer thread, every waiting task in one transaction, a savepoint each. */
  public static final String GROUP_COMMIT = "group-commit";

  /** What a strategy is for. */
  public enum Kind {
    /**
     * One to adopt: keeps every write and fails no caller with SQLITE_BUSY before its deadline,
     * across threads and processes, whatever its work does to the connection.
     */
    PRODUCT,
    /** Kept to show what a common setup does, failures included; never one to adopt. */
    COMPARISON
  }

  /** Where a strategy runs a caller's transaction, and who decides whose turn it is. */
  public enum Runs {
    /** On one writer thread the executor owns; callers queue for it in arrival order. */
    WRITER_THREAD,
    /** On the caller's thread, callers taking turns in arrival order inside the process. */
    CALLER_THREAD_IN_TURN,
    /**
     * On the caller's thread, each with a connection of its own, all competing through SQLite's
     * lock and busy handler, which serve waiters in no order.
     */
    CALLER_THREAD_CONCURRENT
  }

  /** Opens one strategy. */
  @FunctionalInterface
  private interface Opener {
    WriteExecutor open(String name, SqliteSettings settings, ExecutorOptions options)
        throws SQLException;
  }

  /** One strategy's facts, in the one table that holds them. */
  private record Strategy(String name, Kind kind, Runs runs, Opener opener) {}

  /** Every strategy: the comparison strategies first, then the product, each once. */
  private static final List<Strategy> TABLE =
      List.of(
          new Strategy(
              DEFERRED_NO_TIMEOUT,
              Kind.COMPARISON,
              Runs.CALLER_THREAD_CONCURRENT,
              DeferredExecutor::withoutTimeout),
          new Strategy(
              DEFERRED_BUSY_TIMEOUT,
              Kind.COMPARISON,
              Runs.CALLER_THREAD_CONCURRENT,
              DeferredExecutor::withBusyTimeout),
          new Strategy(
              DEFERRED_RETRY,
              Kind.COMPARISON,
              Runs.CALLER_THREAD_CONCURRENT,
              DeferredRetryExecutor::new),
          new Strategy(
              HIKARI_POOL,
              Kind.COMPARISON,
              Runs.CALLER_THREAD_CONCURRENT,
              (name, settings, options) -> {
                requireHikari();
                return new HikariPoolExecutor(name, settings, options);
              }),
          new Strategy(
              SINGLE_CONNECTION,
              Kind.COMPARISON,
              Runs.CALLER_THREAD_IN_TURN,
              SingleConnectionExecutor::new),
          new Strategy(IMMEDIATE, Kind.PRODUCT, Runs.CALLER_THREAD_IN_TURN, ImmediateExecutor::new),
          new Strategy(
              SERIALIZED_WRITER, Kind.PRODUCT, Runs.WRITER_THREAD, SerializedWriterExecutor::new),
          new Strategy(GROUP_COMMIT, Kind.PRODUCT, Runs.WRITER_THREAD, GroupCommitExecutor::new));

  private static final List<String> NAMES = TABLE.stream().map(Strategy::name).toList();

  private Strategies() {}

  /** Every strategy's name: the comparison strategies first, then the product. */
  public static List<String> names() {
    return NAMES;
  }

  /** The names of the strategies of one kind, in the order of {@link #names()}. */
  public static List<String> names(Kind kind) {
    return TABLE.stream().filter(s -> s.kind() == kind).map(Strategy::name).toList();
  }

  /** The names of the strategies that run this way, in the order of {@link #names()}. */
  public static List<String> names(Runs runs) {
    return TABLE.stream().filter(s -> s.runs() == runs).map(Strategy::name).toList();
  }

  /**
   * What the named strategy is for.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the known ones
   */
  public static Kind kind(String name) {
    return find(name).kind();
  }

  /**
   * Where the named strategy runs a caller's transaction.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the known ones
   */
  public static Runs runs(String name) {
    return find(name).runs();
  }

  /** Opens a strategy with {@link ExecutorOptions#defaults()}. */
  public static WriteExecutor open(String name, SqliteSettings settings) throws SQLException {
    return open(name, settings, ExecutorOptions.defaults());
  }

  /**
   * Opens the named strategy on the settings' database, opening its first connection now.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the known ones
   * @throws SqliteOpenException if the database cannot be opened as configured
   * @throws IllegalStateException for {@value #HIKARI_POOL} without HikariCP on the class path
   */
  public static WriteExecutor open(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    return find(name).opener().open(name, settings, options);
  }

  private static Strategy find(String name) {
    Objects.requireNonNull(name, "name");
    for (Strategy strategy : TABLE) {
      if (strategy.name().equals(name)) {
        return strategy;
      }
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + name + "'; known strategies: " + String.join(", ", NAMES));
  }

  private static void requireHikari() {
    try {
      Class.forName("com.zaxxer.hikari.HikariDataSource", false, Strategies.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "strategy "
              + HIKARI_POOL
              + " needs com.zaxxer:HikariCP on the class path (an optional dependency of"
              + " sqlite-writers-core)",
          e);
    }
  }
}
