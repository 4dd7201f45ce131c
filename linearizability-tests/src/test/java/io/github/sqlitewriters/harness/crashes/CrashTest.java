package io.github.sqlitewriters.harness.crashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.harness.ChildProcesses;
import io.github.sqlitewriters.harness.Harness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A writer process is killed with SIGKILL at a random moment; the file must pass integrity_check
 * and hold every write the process had acknowledged. Under synchronous=FULL that is SQLite's
 * promise even for a power cut; under NORMAL in WAL mode it still holds for a process crash, which
 * is what this test can cause (the operating system keeps what was written to it).
 *
 * <p>20 rounds per case in {@code mvn verify}; 500 with {@code -Pstress}.
 */
class CrashTest {
  private static final int ROUNDS = Harness.STRESS ? 500 : 20;

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(Strategies.GROUP_COMMIT, Strategies.IMMEDIATE)
        .flatMap(
            s -> Stream.of(Arguments.of(s, Synchronous.FULL), Arguments.of(s, Synchronous.NORMAL)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void everyAcknowledgedWriteSurvivesSigkill(String strategy, Synchronous sync) throws Exception {
    long acknowledgedInAll = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path db = Files.createDirectories(dir.resolve("round-" + round)).resolve("crash.db");
      SqliteSettings settings = SqliteSettings.builder(db).synchronous(sync).build();
      Harness.setUp(settings, "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)");
      Set<Long> acknowledged = killWhileWriting(db, strategy, sync);
      assertEquals("ok", Harness.integrityCheck(db), "round " + round + ": integrity_check");
      Set<Long> present = keys(db);
      for (long key : acknowledged) {
        assertTrue(
            present.contains(key), "round " + round + ": acknowledged key " + key + " is missing");
      }
      acknowledgedInAll += acknowledged.size();
    }
    Harness.report(
        String.format(
            "crash %s %s: %d SIGKILL rounds, %d acknowledged writes, all present, integrity ok",
            strategy, sync, ROUNDS, acknowledgedInAll));
    assertTrue(acknowledgedInAll > 0, "the writers made progress before being killed");
  }

  /** Starts a writer, kills it after a random time, and returns the keys it acknowledged. */
  private static Set<Long> killWhileWriting(Path db, String strategy, Synchronous sync)
      throws Exception {
    Process child =
        ChildProcesses.start(CrashWriter.class, db.toString(), strategy, sync.name(), "4");
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    CountDownLatch ready = new CountDownLatch(1);
    StringBuilder other = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.startsWith("ACK ")) {
                    acknowledged.add(Long.parseLong(line.substring(4)));
                  } else if (line.equals("READY")) {
                    ready.countDown();
                  } else if (other.length() < 2_000) {
                    other.append(line).append('\n');
                  }
                }
              } catch (Exception e) {
                // The pipe closes when the child is killed.
              }
            });
    reader.start();
    assertTrue(ready.await(30, TimeUnit.SECONDS), "the writer started: " + other);
    Thread.sleep(ThreadLocalRandom.current().nextLong(50, 400));
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    reader.join(30_000);
    assertEquals(137, child.exitValue(), "killed by SIGKILL; other output: " + other);
    return acknowledged;
  }

  private static Set<Long> keys(Path db) throws Exception {
    Set<Long> keys = new HashSet<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT k FROM t")) {
      while (result.next()) {
        keys.add(result.getLong(1));
      }
    }
    return keys;
  }
}
