package io.github.sqlitewriters.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts a JVM of the same JDK on this JVM's class path, as the harness starts its child writers:
 * from {@code java -jar benchmarks.jar} that class path is the jar, so every class in it can be a
 * child's main. The child's stdout is the pipe the parent talks over; its stderr goes to the
 * parent's, so a child's error shows in the benchmark's output.
 *
 * <p>Each child gets a scratch directory of its own as sqlite-jdbc's temporary directory ({@code
 * org.sqlite.tmpdir}), deleted once the child has ended: the driver copies its native library there
 * and deletes the copy only at a normal exit, and a failed trial kills its children.
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
    Path scratch;
    try {
      scratch = Files.createTempDirectory("sqlite-writers-child-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a scratch directory for a child JVM", e);
    }
    command.add("-Dorg.sqlite.tmpdir=" + scratch);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    try {
      Process child =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      child.onExit().thenRun(() -> deleteTree(scratch));
      return child;
    } catch (IOException e) {
      deleteTree(scratch);
      throw new UncheckedIOException("cannot start a child JVM for " + main.getSimpleName(), e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Gone already, or unreadable: nothing more to do from here.
    }
  }
}
