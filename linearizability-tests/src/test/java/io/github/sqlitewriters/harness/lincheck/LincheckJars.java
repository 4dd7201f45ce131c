package io.github.sqlitewriters.harness.lincheck;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deletes, when this JVM exits, the bootstrap jar Lincheck writes into the temporary directory on
 * its first check and never deletes (one per test JVM). Only jars written since this JVM started
 * are touched, so another JVM's jar in use is left alone.
 */
public final class LincheckJars {
  private static final AtomicBoolean registered = new AtomicBoolean();

  private LincheckJars() {}

  /** Registers the deletion once per JVM; call it from every test class that runs Lincheck. */
  public static void deleteAtExit() {
    if (!registered.compareAndSet(false, true)) {
      return;
    }
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  File[] jars =
                      new File(System.getProperty("java.io.tmpdir"))
                          .listFiles(
                              (dir, name) ->
                                  name.startsWith("lincheck-bootstrap") && name.endsWith(".jar"));
                  for (File jar : jars == null ? new File[0] : jars) {
                    if (jar.lastModified() >= started) {
                      jar.delete();
                    }
                  }
                },
                "lincheck-jar-cleanup"));
  }
}
