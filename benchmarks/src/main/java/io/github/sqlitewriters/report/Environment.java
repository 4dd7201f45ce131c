package io.github.sqlitewriters.report;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine a run was made on, for {@code environment.md}: CPU, memory, kernel, the
 * file system and disk under the database directory, JDK, SQLite and sqlite-jdbc versions, the
 * exact PRAGMAs, the git commit and the date. Taken when the run starts, on the machine that runs
 * it; a benchmark figure means nothing without it.
 */
public final class Environment {
  private Environment() {}

  /**
   * The environment as Markdown. {@code databaseDirectory} is where benchmark files live; {@code
   * schema} is the tables every benchmark database starts with.
   */
  public static String markdown(Path databaseDirectory, List<String> schema) {
    StringBuilder text = new StringBuilder("# Environment\n\n");
    text.append("| what | value |\n|---|---|\n");
    row(text, "date", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    row(
        text,
        "CPU",
        cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores seen by the JVM");
    row(text, "memory", firstLine(Path.of("/proc/meminfo"), "MemTotal").replaceAll("\\s+", " "));
    row(text, "kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    row(text, "database directory", databaseDirectory.toAbsolutePath().toString());
    row(
        text,
        "file system (df -T)",
        command("df", "-T", databaseDirectory.toAbsolutePath().toString()));
    row(text, "block devices (lsblk)", command("lsblk", "-d", "-o", "NAME,SIZE,ROTA,MODEL"));
    row(
        text,
        "JDK",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    row(text, "SQLite", sqliteVersion());
    row(text, "sqlite-jdbc", driverVersion());
    row(text, "git commit", command("git", "rev-parse", "HEAD") + dirty());
    text.append("\n## PRAGMAs applied to every connection\n\n");
    text.append(
            "Each benchmark runs with its journal mode and synchronous parameters; the rest is the")
        .append(" SqliteSettings defaults. For WAL + FULL, for example:\n\n```\n");
    SqliteSettings example =
        SqliteSettings.builder(databaseDirectory.resolve("bench.db"))
            .journalMode(JournalMode.WAL)
            .synchronous(Synchronous.FULL)
            .build();
    example.pragmas().forEach(p -> text.append(p).append('\n'));
    text.append("```\n\nReaders add `PRAGMA query_only=1`; `deferred-no-timeout` sets")
        .append(" `PRAGMA busy_timeout=0`.\n\n## Schema\n\n```\n");
    schema.forEach(table -> text.append(table).append('\n'));
    text.append("```\n\nThe benchmarks write `v` as 32 characters.\n");
    return text.toString();
  }

  private static void row(StringBuilder text, String what, String value) {
    text.append("| ")
        .append(what)
        .append(" | ")
        .append(value.replace("\n", "<br>").replace("|", "\\|"))
        .append(" |\n");
  }

  private static String cpuModel() {
    String line = firstLine(Path.of("/proc/cpuinfo"), "model name");
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(colon + 1).trim();
  }

  private static String firstLine(Path file, String prefix) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      return "unknown";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String sqliteVersion() {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT sqlite_version()")) {
      result.next();
      return result.getString(1);
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String driverVersion() {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      return connection.getMetaData().getDriverVersion();
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String dirty() {
    String status = command("git", "status", "--porcelain", "--untracked-files=no");
    return status.isBlank() || status.startsWith("unavailable")
        ? ""
        : " (with uncommitted changes)";
  }

  /** A command's output, or a note that it could not run; never fails the run. */
  static String command(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return "unavailable (" + String.join(" ", command) + ": " + output + ")";
      }
      return output;
    } catch (IOException e) {
      return "unavailable (" + String.join(" ", command) + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unavailable (interrupted)";
    }
  }
}
