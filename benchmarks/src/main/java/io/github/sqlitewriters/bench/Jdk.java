package io.github.sqlitewriters.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A JDK the Sweep can fork benchmarks into. The virtual-thread cells need JDK 21+, while the
 * project's baseline (and often the JDK a user runs the Sweep with) is 17; rather than skip them,
 * the Sweep looks for a newer JDK installed beside it and names it in the results.
 *
 * @param java the {@code java} launcher
 * @param feature the JDK's feature version (17, 21, 25, ...)
 */
record Jdk(Path java, int feature) {
  static final int VIRTUAL_THREADS = 21;

  /** The JDK this JVM runs on. */
  static Jdk current() {
    return new Jdk(
        Path.of(System.getProperty("java.home"), "bin", "java"), Runtime.version().feature());
  }

  /**
   * A JDK with virtual threads: the one named (a JDK home), else this one if it has them, else the
   * newest found where JDKs are installed (/usr/lib/jvm, /Library/Java/JavaVirtualMachines, and
   * beside this JDK).
   */
  static Optional<Jdk> withVirtualThreads(Path named) {
    if (named != null) {
      return read(named).filter(jdk -> jdk.feature() >= VIRTUAL_THREADS);
    }
    if (current().feature() >= VIRTUAL_THREADS) {
      return Optional.of(current());
    }
    List<Path> homes = new ArrayList<>();
    Path here = Path.of(System.getProperty("java.home")).getParent();
    for (Path folder :
        List.of(Path.of("/usr/lib/jvm"), Path.of("/Library/Java/JavaVirtualMachines"), here)) {
      if (folder != null && Files.isDirectory(folder)) {
        try (Stream<Path> entries = Files.list(folder)) {
          entries.forEach(home -> homes.addAll(List.of(home, home.resolve("Contents/Home"))));
        } catch (IOException e) {
          // an unreadable folder holds no JDK we can use
        }
      }
    }
    return homes.stream()
        .map(Jdk::read)
        .flatMap(Optional::stream)
        .filter(jdk -> jdk.feature() >= VIRTUAL_THREADS)
        .max(Comparator.comparingInt(Jdk::feature));
  }

  /** The JDK at a home folder, from its {@code release} file ({@code JAVA_VERSION="25.0.1"}). */
  static Optional<Jdk> read(Path home) {
    Path java = home.resolve("bin").resolve("java");
    Path release = home.resolve("release");
    if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring(line.indexOf('=') + 1).replace("\"", "");
          String feature = version.split("[.+-]")[0];
          return Optional.of(new Jdk(java, Integer.parseInt(feature.equals("1") ? "8" : feature)));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The flags a forked benchmark JVM of this JDK needs beside the Sweep's own. */
  List<String> flags() {
    return feature >= 24 ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
  }
}
