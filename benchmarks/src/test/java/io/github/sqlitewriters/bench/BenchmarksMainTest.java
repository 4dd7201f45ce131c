package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

class BenchmarksMainTest {
  @Test
  void iterationsAreNotSynchronizedUnlessTheUserSaysSo() throws Exception {
    CommandLineOptions plain =
        new CommandLineOptions(BenchmarksMain.withDefaults(new String[] {"Limits", "-t", "8"}));
    assertFalse(plain.shouldSyncIterations().get(), "-si false by default");
    assertArrayEquals(
        new String[] {"Limits", "-si", "true"},
        BenchmarksMain.withDefaults(new String[] {"Limits", "-si", "true"}),
        "the user's own -si is kept");
  }
}
