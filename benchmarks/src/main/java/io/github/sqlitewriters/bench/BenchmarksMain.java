package io.github.sqlitewriters.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code java -jar benchmarks.jar}: JMH's own command line, with one default
 * changed. Iterations are not synchronized across threads ({@code -si false}) unless the command
 * line says {@code -si true}: with a strategy that serves waiters unfairly, JMH's synchronized
 * iterations keep the other threads writing until a starved thread gets its turn, which stretched a
 * 2 s iteration past 10 s and reported rates several times too high. The Sweep runs every cell this
 * way; now a user's own run does too, with nothing to remember.
 */
public final class BenchmarksMain {
  private BenchmarksMain() {}

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(withDefaults(args));
  }

  /** The arguments with {@code -si false} in front, unless they set -si themselves. */
  static String[] withDefaults(String[] args) {
    if (Arrays.asList(args).contains("-si")) {
      return args;
    }
    List<String> all = new ArrayList<>(List.of("-si", "false"));
    all.addAll(Arrays.asList(args));
    return all.toArray(new String[0]);
  }
}
