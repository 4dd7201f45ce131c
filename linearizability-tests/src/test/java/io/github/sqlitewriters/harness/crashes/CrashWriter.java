package io.github.sqlitewriters.harness.crashes;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.nio.file.Path;
import java.sql.PreparedStatement;

/**
 * The process the crash test kills. Writes unique keys from several threads until it is killed, and
 * prints {@code ACK key} for each write only after the executor acknowledged it (the future
 * completed, so its COMMIT returned). {@code System.out} flushes on every line.
 *
 * <p>Arguments: database path, strategy, synchronous, threads.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    SqliteSettings settings =
        SqliteSettings.builder(Path.of(args[0])).synchronous(Synchronous.valueOf(args[2])).build();
    int threads = Integer.parseInt(args[3]);
    WriteExecutor executor = Strategies.open(args[1], settings);
    System.out.println("READY");
    Thread[] writers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      long base = (t + 1) * 100_000_000L;
      writers[t] =
          new Thread(
              () -> {
                for (long key = base; ; key++) {
                  long k = key;
                  try {
                    executor.write(
                        c -> {
                          try (PreparedStatement insert =
                              c.prepareStatement(
                                  "INSERT INTO t(k, v) VALUES (?, 'acknowledged')")) {
                            insert.setLong(1, k);
                            return insert.executeUpdate();
                          }
                        });
                    System.out.println("ACK " + k);
                  } catch (Exception e) {
                    System.out.println("FAILED " + k + " " + e);
                  }
                }
              });
      writers[t].start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
  }
}
