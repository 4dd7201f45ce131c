package io.github.sqlitewriters.harness.processes;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.Harness;
import io.github.sqlitewriters.harness.invariants.InvariantTest;
import java.nio.file.Path;
import java.sql.PreparedStatement;

/**
 * A separate JVM that writes to a shared database file through one strategy, for the
 * several-process tests. Prints one line, {@code RESULT committed=N failed=N busy=N}, and exits 0
 * unless it could not run at all.
 *
 * <p>Arguments: database path, strategy, threads, writes per thread, process number, workload
 * ({@code insert}: one row per write; {@code increment}: read-modify-write of one counter).
 */
public final class ChildWriter {
  private ChildWriter() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    String strategy = args[1];
    int threads = Integer.parseInt(args[2]);
    int perThread = Integer.parseInt(args[3]);
    int process = Integer.parseInt(args[4]);
    String workload = args[5];
    SqliteSettings settings =
        SqliteSettings.builder(db)
            .journalMode(JournalMode.WAL)
            .synchronous(Synchronous.NORMAL)
            .build();
    Harness.Tally tally;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      tally =
          Harness.runCallers(
              executor,
              threads,
              perThread,
              (writer, thread, index) -> {
                if (workload.equals("increment")) {
                  writer.write(InvariantTest::increment);
                } else {
                  writer.write(
                      c -> {
                        try (PreparedStatement insert =
                            c.prepareStatement(
                                "INSERT INTO t(process, thread, seq) VALUES (?, ?, ?)")) {
                          insert.setInt(1, process);
                          insert.setInt(2, thread);
                          insert.setInt(3, index);
                          return insert.executeUpdate();
                        }
                      });
                }
              });
    }
    System.out.println(
        "RESULT committed="
            + tally.committed()
            + " failed="
            + tally.failed()
            + " busy="
            + tally.busy());
  }
}
