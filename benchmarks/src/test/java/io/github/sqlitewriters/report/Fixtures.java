package io.github.sqlitewriters.report;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Small JMH JSON files cut from real runs on this project's machine: {@code smoke-a} and {@code
 * smoke-b} are two smoke sweeps (8 threads, WAL + FULL, two measurement iterations, so JMH gave no
 * error bounds), trimmed to three strategies; {@code smoke-b} adds that run's limits; {@code
 * smoke-c} is a later smoke sweep with the bare reference group commit beside group-commit; {@code
 * postgres-no-server} is PostgresComparison's 8-client WAL + FULL cell of 2026-11-24-peers without
 * its PostgreSQL systems; {@code turns-and-frameworks} is SeveralProcesses at 4 x 8, WAL + FULL,
 * turns off and on (2026-12-03-process-turns), with FrameworkTransactions' throughput cells at 8
 * and 32 threads, WAL + FULL (2026-12-03-group-commit-data-source, pass 1), their raw data cut.
 */
final class Fixtures {
  private Fixtures() {}

  static Path folder(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/jmh/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<JmhResult> load(String name) throws IOException {
    return JmhResults.load(folder(name));
  }

  /** Copies a fixture folder, so a test can write into it. */
  static Path copy(String name, Path into) throws IOException {
    try (Stream<Path> files = Files.list(folder(name))) {
      for (Path file : files.toList()) {
        Files.copy(file, into.resolve(file.getFileName()));
      }
    }
    return into;
  }
}
