package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fresh database file for one benchmark trial, with the schema every benchmark writes to: {@code
 * t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)} (the shape of SQLITE-FACTS' raw limits) and the
 * flush-loop tables. The directory is {@code -Dbench.dir} (default: the system temporary
 * directory): the disk under it decides what a COMMIT costs, so results name it.
 */
final class BenchDatabase implements AutoCloseable {
  private static final String FILE = "bench.db";

  /** The tables every benchmark database starts with, as each run's environment.md shows them. */
  static final List<String> SCHEMA =
      List.of(
          "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)",
          "CREATE TABLE audit_log(id INTEGER PRIMARY KEY, source INTEGER, event TEXT)",
          "CREATE TABLE usage(id INTEGER PRIMARY KEY, source INTEGER, units INTEGER)");

  private final Path directory;
  private final SqliteSettings settings;

  private BenchDatabase(Path directory, SqliteSettings settings) {
    this.directory = directory;
    this.settings = settings;
  }

  static BenchDatabase create(String journalMode, String synchronous) {
    Path directory = newDirectory("sqlite-writers-bench-");
    try {
      SqliteSettings settings = settings(directory.resolve(FILE), journalMode, synchronous);
      try (Connection connection = settings.openConnection();
          Statement statement = connection.createStatement()) {
        for (String table : SCHEMA) {
          statement.execute(table);
        }
      }
      return new BenchDatabase(directory, settings);
    } catch (SQLException e) {
      delete(directory);
      throw new IllegalStateException("cannot create the benchmark database", e);
    }
  }

  /** A new directory under {@code -Dbench.dir}, where every benchmark keeps what it writes. */
  static Path newDirectory(String prefix) {
    try {
      Path parent = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory and everything in it. */
  static void delete(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The settings every benchmark opens its file with; a child process opens the same file so. */
  static SqliteSettings settings(Path file, String journalMode, String synchronous) {
    return SqliteSettings.builder(file)
        .journalMode(JournalMode.valueOf(journalMode))
        .synchronous(Synchronous.valueOf(synchronous))
        .build();
  }

  SqliteSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    delete(directory);
  }
}
