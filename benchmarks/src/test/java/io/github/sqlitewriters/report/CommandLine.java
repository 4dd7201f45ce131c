package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the report tools' tests hold every command line to: a mistake is one line and exit 2. */
final class CommandLine {
  private CommandLine() {}

  /** A tool's command line, as its {@code run(args, out, err)}. */
  @FunctionalInterface
  interface Tool {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  static void assertOneLineError(Tool tool, String[] args, String expected) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = tool.run(args, new PrintStream(out), new PrintStream(err));
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, exit, message);
    assertTrue(message.contains(expected), message);
    assertEquals(1, message.lines().count(), "one line: " + message);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}
