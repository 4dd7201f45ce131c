package io.github.sqlitewriters.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts test JVMs on this module's class path and collects what they print. */
final class ChildProcesses {
  private ChildProcesses() {}

  static Process start(Class<?> main, String... args) throws IOException {
    return start(main, List.of("-Xmx256m"), args);
  }

  static Process start(Class<?> main, List<String> jvmFlags, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    if (Runtime.version().feature() >= 24) {
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Waits for a child, bounded, and returns everything it printed. */
  static String finish(Process child, long timeoutSeconds) throws Exception {
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
