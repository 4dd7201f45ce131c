package io.github.sqlitewriters.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a JVM of the same JDK on this JVM's class path, as the harness starts its child writers:
 * from {@code java -jar benchmarks.jar} that class path is the jar, so every class in it can be a
 * child's main. The child's stdout is the pipe the parent talks over; its stderr goes to the
 * parent's, so a child's error shows in the benchmark's output.
 */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    if (Runtime.version().feature() >= 24) {
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM for " + main.getSimpleName(), e);
    }
  }
}
