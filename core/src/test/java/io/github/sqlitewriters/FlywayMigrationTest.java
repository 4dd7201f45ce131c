package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flyway migrations through {@link ImmediateDataSource} and {@link GroupCommitDataSource}: DDL and
 * data in versioned migrations, each in a transaction of Flyway's, its schema history written
 * beside them. A second run applies nothing; a migration that fails is rolled back whole and
 * reported, and the DataSource keeps serving.
 */
class FlywayMigrationTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void migrationsApplyOnceThroughTheDataSource(String name) throws Exception {
    Path migrations = Files.createDirectory(dir.resolve("migrations"));
    Files.writeString(
        migrations.resolve("V1__orders.sql"),
        "CREATE TABLE orders(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL UNIQUE);\n"
            + "CREATE INDEX orders_seq ON orders(seq);\n");
    Files.writeString(
        migrations.resolve("V2__seed.sql"),
        "INSERT INTO orders(seq) VALUES (1);\nINSERT INTO orders(seq) VALUES (2);\n");
    SqliteSettings settings = TestDb.settings(dir);
    try (PoolDataSource dataSource =
        TestDb.dataSource(name, settings, ExecutorOptions.defaults())) {
      Flyway flyway =
          Flyway.configure().dataSource(dataSource).locations("filesystem:" + migrations).load();
      MigrateResult first = flyway.migrate();
      assertTrue(first.success);
      assertEquals(2, first.migrationsExecuted);
      assertEquals(0, flyway.migrate().migrationsExecuted, "a second run applies nothing");
      flyway.validate();
      assertEquals(2, TestDb.queryLong(settings.path(), "SELECT count(*) FROM orders"));

      // A migration that fails half-way: Flyway's transaction is rolled back, nothing of it stays.
      Files.writeString(
          migrations.resolve("V3__broken.sql"),
          "INSERT INTO orders(seq) VALUES (3);\nINSERT INTO orders(seq) VALUES (1);\n");
      assertThrows(Exception.class, flyway::migrate);
      assertEquals(2, TestDb.queryLong(settings.path(), "SELECT count(*) FROM orders"));
      try (java.sql.Connection c = dataSource.getConnection();
          java.sql.Statement s = c.createStatement()) {
        assertEquals(1, s.executeUpdate("INSERT INTO orders(seq) VALUES (4)"), "still serving");
      }
    }
  }
}
