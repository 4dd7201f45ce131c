package io.github.sqlitewriters.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts test JVMs on this module's class path and collects what they print.
 *
 * <p>Each child gets a scratch directory of its own as sqlite-jdbc's temporary directory ({@code
 * org.sqlite.tmpdir}), deleted as soon as the child has ended, however it ended: the driver copies
 * its native library there and deletes the copy only at a normal exit, and the harness kills
 * children by the hundred.
 */
public final class ChildProcesses {
  private static final Map<Process, CompletableFuture<?>> CLEANUPS = new ConcurrentHashMap<>();

  static {
    // A child killed by the last test ends after this JVM would: wait for its clean-up, bounded.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    CompletableFuture.allOf(CLEANUPS.values().toArray(new CompletableFuture<?>[0]))
                        .get(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // A child still running after 10 s keeps its scratch; nothing more to do.
                  }
                },
                "child-scratch-cleanup"));
  }

  private ChildProcesses() {}

  public static Process start(Class<?> main, String... args) throws IOException {
    return start(main, List.of("-Xmx256m"), args);
  }

  public static Process start(Class<?> main, List<String> jvmFlags, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    if (Runtime.version().feature() >= 24) {
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    Path scratch = Files.createTempDirectory("sqlite-writers-child-");
    command.add("-Dorg.sqlite.tmpdir=" + scratch);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process child;
    try {
      child = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      deleteTree(scratch);
      throw e;
    }
    CompletableFuture<?> cleanup = child.onExit().thenRun(() -> deleteTree(scratch));
    CLEANUPS.put(child, cleanup);
    cleanup.thenRun(() -> CLEANUPS.remove(child));
    return child;
  }

  /** Completes once the child has ended and its scratch directory is deleted. */
  public static CompletableFuture<?> cleanedUp(Process child) {
    return CLEANUPS.getOrDefault(child, CompletableFuture.completedFuture(null));
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Gone already, or unreadable: nothing more to do from here.
    }
  }

  /** Waits for a child, bounded, and returns everything it printed. */
  public static String finish(Process child, long timeoutSeconds) throws Exception {
    byte[] output = child.getInputStream().readAllBytes();
    if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError("child did not finish in " + timeoutSeconds + " s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (child.exitValue() != 0) {
      throw new AssertionError("child exited with " + child.exitValue() + ": " + text);
    }
    return text;
  }
}
