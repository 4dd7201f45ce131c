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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hibernate ORM 7 (the community SQLite dialect) through {@link ImmediateDataSource} and {@link
 * GroupCommitDataSource}: it validates its schema at start, then persists, queries, modifies and
 * rolls back entities, with exact results and no connection reopened. Hibernate reads the schema
 * through {@code DatabaseMetaData}, which sqlite-jdbc answers with PRAGMAs on its own connection,
 * not through the lent statements: this workload reopened no connection before the read-only PRAGMA
 * rule either ({@link ReadOnlyPragmaTest} is what proves that rule). The reopen count is printed
 * for the record.
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void schemaValidationAndTransactionsReopenNoConnection(String name) throws Exception {
    SqliteSettings settings = TestDb.settings(dir);
    try (PoolDataSource dataSource =
        TestDb.dataSource(name, settings, ExecutorOptions.defaults())) {
      // The schema as a migration would leave it. Not Hibernate's own DDL: its IDENTITY column is
      // AUTOINCREMENT, whose sqlite_sequence table has untyped columns that Hibernate 7's schema
      // reader cannot parse (NoSuchElementException), through any DataSource.
      createItemTable(dataSource);
      long before = dataSource.pool.stats().connectionsReopened();
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
      long reopened = dataSource.pool.stats().connectionsReopened() - before;
      System.out.println(
          "[hibernate] schema validation and 54 transactions: "
              + reopened
              + " connections reopened");
      assertEquals(0, reopened, dataSource.pool.stats().toString());
    }
  }

  /**
   * Sixteen threads, each transaction reading an entity, modifying it, persisting a new one and
   * reading with JPQL; every tenth rolled back on purpose. The modified entity counts the
   * transactions that committed, so a lost or overlapping one shows.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void entityTransactionsFromSixteenThreadsKeepExactResults(String name) throws Exception {
    SqliteSettings settings = TestDb.settings(dir);
    try (PoolDataSource dataSource =
            TestDb.dataSource(
                name, settings, ExecutorOptions.builder().maxConnections(16).build());
        SessionFactory sessions = withItems(dataSource)) {
      sessions.inTransaction(
          session -> {
            Item counter = new Item();
            counter.name = "counter";
            session.persist(counter);
          });
      int threads = 16;
      int perThread = 20;
      java.util.concurrent.atomic.AtomicInteger unexpected =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger rolledBack =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      boolean undo = i % 10 == 9;
                      try {
                        sessions.inTransaction(
                            session -> {
                              Item counter = session.find(Item.class, 1);
                              counter.quantity += 1;
                              Item made = new Item();
                              made.name = "thread " + thread;
                              made.quantity = -1;
                              session.persist(made);
                              session
                                  .createSelectionQuery("select count(*) from Item", Long.class)
                                  .getSingleResult();
                              if (undo) {
                                throw new IllegalStateException("rolled back on purpose");
                              }
                            });
                      } catch (IllegalStateException e) {
                        rolledBack.incrementAndGet();
                      } catch (RuntimeException e) {
                        unexpected.incrementAndGet();
                        e.printStackTrace();
                      }
                    }
                  }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get(2, java.util.concurrent.TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(0, unexpected.get());
      long committed = (long) threads * perThread - rolledBack.get();
      assertEquals(
          committed, TestDb.queryLong(settings.path(), "SELECT quantity FROM item WHERE id = 1"));
      assertEquals(
          committed, TestDb.queryLong(settings.path(), "SELECT count(*) FROM item WHERE id > 1"));
    }
  }

  private static SessionFactory withItems(PoolDataSource dataSource) throws Exception {
    createItemTable(dataSource);
    return sessionFactory(dataSource, "validate");
  }

  private static void createItemTable(PoolDataSource dataSource) throws java.sql.SQLException {
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE item(id INTEGER PRIMARY KEY, name VARCHAR(255), quantity INTEGER NOT NULL)");
    }
  }

  private static SessionFactory sessionFactory(PoolDataSource dataSource, String schema) {
    Configuration configuration =
        new Configuration()
            .addAnnotatedClass(Item.class)
            .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
            .setProperty("hibernate.hbm2ddl.auto", schema);
    configuration.getProperties().put("hibernate.connection.datasource", dataSource);
    return configuration.buildSessionFactory();
  }
}
