package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.file.Path;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate ORM 7 (the community SQLite dialect) through {@link ImmediateDataSource}: it validates
 * its schema at start, then persists, queries, modifies and rolls back entities, with exact results
 * and no connection reopened. Hibernate reads the schema through {@code DatabaseMetaData}, which
 * sqlite-jdbc answers with PRAGMAs on its own connection, not through the lent statements: this
 * workload reopened no connection before the read-only PRAGMA rule either ({@link
 * ReadOnlyPragmaTest} is what proves that rule). The reopen count is printed for the record.
 */
class HibernateSchemaValidationTest {
  @TempDir Path dir;

  /** A row Hibernate maps: what a service's entity looks like. */
  @Entity(name = "Item")
  @Table(name = "item")
  public static class Item {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Integer id;

    String name;
    int quantity;
  }

  @Test
  void schemaValidationAndTransactionsReopenNoConnection() throws Exception {
    SqliteSettings settings = TestDb.settings(dir);
    try (ImmediateDataSource dataSource =
        ImmediateDataSource.open(settings, ExecutorOptions.defaults())) {
      // The schema as a migration would leave it. Not Hibernate's own DDL: its IDENTITY column is
      // AUTOINCREMENT, whose sqlite_sequence table has untyped columns that Hibernate 7's schema
      // reader cannot parse (NoSuchElementException), through any DataSource.
      try (java.sql.Connection c = dataSource.getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE item(id INTEGER PRIMARY KEY, name VARCHAR(255), quantity INTEGER NOT NULL)");
      }
      long before = dataSource.stats().connectionsReopened();
      try (SessionFactory validated = sessionFactory(dataSource, "validate")) {
        for (int i = 0; i < 50; i++) {
          int n = i;
          validated.inTransaction(
              session -> {
                Item item = new Item();
                item.name = "item " + n;
                item.quantity = n;
                session.persist(item);
              });
        }
        validated.inTransaction(
            session ->
                session
                    .createSelectionQuery("from Item where quantity < 10", Item.class)
                    .getResultList()
                    .forEach(item -> item.quantity += 100));
        try {
          validated.inTransaction(
              session -> {
                session.persist(new Item());
                throw new IllegalStateException("rolled back on purpose");
              });
        } catch (IllegalStateException expected) {
          // The transaction was rolled back.
        }
        long count =
            validated.fromTransaction(
                session ->
                    session
                        .createSelectionQuery("select count(*) from Item", Long.class)
                        .getSingleResult());
        long moved =
            validated.fromTransaction(
                session ->
                    session
                        .createSelectionQuery(
                            "select count(*) from Item where quantity >= 100", Long.class)
                        .getSingleResult());
        assertEquals(50, count);
        assertEquals(10, moved);
      }
      long reopened = dataSource.stats().connectionsReopened() - before;
      System.out.println(
          "[hibernate] schema validation and 54 transactions: "
              + reopened
              + " connections reopened");
      assertEquals(0, reopened, dataSource.stats().toString());
    }
  }

  private static SessionFactory sessionFactory(ImmediateDataSource dataSource, String schema) {
    Configuration configuration =
        new Configuration()
            .addAnnotatedClass(Item.class)
            .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
            .setProperty("hibernate.hbm2ddl.auto", schema);
    configuration.getProperties().put("hibernate.connection.datasource", dataSource);
    return configuration.buildSessionFactory();
  }
}
