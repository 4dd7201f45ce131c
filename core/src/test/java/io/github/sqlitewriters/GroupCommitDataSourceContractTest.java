package io.github.sqlitewriters;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link ImmediateDataSource}'s contract against hostile and careless callers, run against {@link
 * GroupCommitDataSource}: everything it promises still holds where transactions share COMMITs.
 */
class GroupCommitDataSourceContractTest extends DataSourceContractTest {
  /**
   * {@code OR ROLLBACK} is refused here before it runs (see {@link GroupCommitDataSourceTest}); a
   * trigger's {@code RAISE(ROLLBACK)} still makes SQLite end the transaction by itself.
   */
  @Override
  String sqliteRollsBack() {
    return "INSERT INTO t(k) VALUES (666)";
  }

  @BeforeEach
  void rollBackTrigger() throws SQLException {
    try (Connection c = settings().openConnection()) {
      TestDb.execute(
          c,
          "CREATE TRIGGER roll_back BEFORE INSERT ON t WHEN NEW.k = 666"
              + " BEGIN SELECT RAISE(ROLLBACK, 'rolled back by the trigger'); END");
    }
  }

  @Override
  PoolDataSource open(SqliteSettings settings, ExecutorOptions options) throws SQLException {
    return GroupCommitDataSource.open(settings, options);
  }
}
