package io.github.sqlitewriters.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;

/**
 * Database files preloaded with N rows, built once and copied for every trial, so that a cell at 10
 * million rows costs a file copy (seconds) instead of a load (about 25 s), and no load is ever
 * measured. They live in {@code -Dbench.dir}/sqlite-writers-templates (about 1 GB for 10 million
 * rows); the Sweep deletes that folder when its run ends, and a build that was cut short leaves
 * only a temporary file, never a template with fewer rows.
 *
 * <p>The table is {@code big(id INTEGER PRIMARY KEY, k INTEGER, ts INTEGER, v TEXT)} with two
 * secondary indexes: one on {@code k}, a random key, so every insert lands on a random leaf (the
 * costly case once the index outgrows the cache), and one on {@code ts}, which only grows (the
 * cheap case, like a timestamp).
 */
final class PreloadedTemplates {
  static final String INSERT = "INSERT INTO big(k, ts, v) VALUES (?, ?, ?)";
  private static final int ROWS_PER_TRANSACTION = 100_000;
  private static final String SCHEMA_VERSION = "v1";

  private PreloadedTemplates() {}

  static Path folder() {
    return Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")))
        .resolve("sqlite-writers-templates");
  }

  /**
   * A new copy of the template with {@code rows} rows at {@code target}, on the disk: a copy left
   * in the page cache would be flushed by the trial's first checkpoint, inside the measurement.
   */
  static void copy(long rows, Path target) {
    try {
      Files.copy(template(rows), target, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel copy = FileChannel.open(target, StandardOpenOption.WRITE)) {
        copy.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path template(long rows) throws IOException {
    // The schema's version is in the name: a template left by an older schema is never reused.
    Path template = folder().resolve("big-" + SCHEMA_VERSION + "-" + rows + ".db");
    if (Files.exists(template)) {
      return template;
    }
    Files.createDirectories(folder());
    Path building = Files.createTempFile(folder(), "building-", ".db");
    try {
      long start = System.nanoTime();
      build(building, rows);
      Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
      System.out.printf(
          "%n[templates] %,d rows built in %.1f s: %s%n",
          rows, (System.nanoTime() - start) / 1e9, template);
      return template;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot build the " + rows + "-row template", e);
    } finally {
      Files.deleteIfExists(building);
    }
  }

  /**
   * Loads the rows in large transactions with no journal and no fsync (a crash only costs a
   * template that was never moved into place), then builds the indexes by sorting, which is much
   * faster than inserting into them row by row.
   */
  private static void build(Path file, long rows) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode=OFF");
      statement.execute("PRAGMA synchronous=OFF");
      statement.execute("PRAGMA cache_size=-262144");
      statement.execute("CREATE TABLE big(id INTEGER PRIMARY KEY, k INTEGER, ts INTEGER, v TEXT)");
      connection.setAutoCommit(false);
      SplittableRandom random = new SplittableRandom(42);
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        for (long row = 0; row < rows; row++) {
          insert.setLong(1, random.nextLong());
          insert.setLong(2, row);
          insert.setString(3, Rows.VALUE);
          insert.addBatch();
          if ((row + 1) % ROWS_PER_TRANSACTION == 0) {
            insert.executeBatch();
            connection.commit();
          }
        }
        insert.executeBatch();
      }
      statement.execute("CREATE INDEX big_k ON big(k)");
      statement.execute("CREATE INDEX big_ts ON big(ts)");
      connection.commit();
      connection.setAutoCommit(true);
      // WAL from here on, as every benchmark opens it; the mode is kept in the file.
      statement.execute("PRAGMA journal_mode=WAL");
    }
  }

  /** Deletes every template. */
  static void deleteAll() {
    if (Files.isDirectory(folder())) {
      BenchDatabase.delete(folder());
    }
  }
}
