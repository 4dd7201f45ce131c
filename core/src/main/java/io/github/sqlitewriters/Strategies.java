package io.github.sqlitewriters;

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
 * #GROUP_COMMIT}.
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

  private static final List<String> NAMES =
      List.of(
          DEFERRED_NO_TIMEOUT,
          DEFERRED_BUSY_TIMEOUT,
          DEFERRED_RETRY,
          HIKARI_POOL,
          SINGLE_CONNECTION,
          IMMEDIATE,
          SERIALIZED_WRITER,
          GROUP_COMMIT);

  private Strategies() {}

  /** Every strategy's name: the comparison strategies first, then the product. */
  public static List<String> names() {
    return NAMES;
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
    switch (name) {
      case DEFERRED_NO_TIMEOUT:
        return DeferredExecutor.withoutTimeout(settings, options);
      case DEFERRED_BUSY_TIMEOUT:
        return DeferredExecutor.withBusyTimeout(settings, options);
      case DEFERRED_RETRY:
        return new DeferredRetryExecutor(settings, options);
      case HIKARI_POOL:
        requireHikari();
        return new HikariPoolExecutor(settings, options);
      case SINGLE_CONNECTION:
        return new SingleConnectionExecutor(settings, options);
      case IMMEDIATE:
        return new ImmediateExecutor(settings, options);
      case SERIALIZED_WRITER:
        return new SerializedWriterExecutor(settings, options);
      case GROUP_COMMIT:
        return new GroupCommitExecutor(settings, options);
      default:
        throw new IllegalArgumentException(
            "unknown strategy '" + name + "'; known strategies: " + String.join(", ", NAMES));
    }
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
