package io.github.sqlitewriters.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the text of SQL is read as, for the two rules that depend on more than its first word: a
 * PRAGMA that only reads the schema is a row statement, every other PRAGMA may change the
 * connection; and an INSERT behind a WITH clause is an INSERT (its generated key is read).
 */
class SqlTextTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PRAGMA table_info(t)|ROWS",
        "pragma main.table_xinfo('t')|ROWS",
        "PRAGMA \"aux\".index_list(t)|ROWS",
        "/* a comment */ PRAGMA foreign_key_list(child)|ROWS",
        "PRAGMA table_info = t|ROWS",
        "PRAGMA database_list;|ROWS",
        "PRAGMA `index_info`(i)|ROWS",
        "PRAGMA table_infox(t)|OTHER",
        "PRAGMA optimize|OTHER",
        "PRAGMA foreign_keys = OFF|OTHER",
        "PRAGMA user_version|OTHER",
        "PRAGMA table_info(t); PRAGMA foreign_keys = OFF|OTHER",
        "PRAGMA main . table_info(t)|ROWS",
        "PRAGMA|OTHER",
        "SELECT * FROM pragma_table_info('t')|ROWS"
      })
  void pragmasAreReadByTheirName(String sql, SqlText.Kind kind) throws Exception {
    assertEquals(kind, SqlText.classify(sql));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "INSERT INTO t(k) VALUES (1)|true",
        "replace into t(k) values (1)|true",
        "WITH n(k) AS (SELECT 1) INSERT INTO t(k) SELECT k FROM n|true",
        "WITH n(k) AS (SELECT 'INSERT') SELECT k FROM n|false",
        "WITH a AS (SELECT 1), b AS (SELECT (2)) REPLACE INTO t(k) SELECT 1|true",
        "WITH n AS (VALUES (1)) UPDATE t SET k = 2|false",
        "WITH /* INSERT */ n AS (SELECT 1) DELETE FROM t|false",
        "UPDATE t SET k = 1|false",
        "SELECT 1|false"
      })
  void insertsAreFoundBehindWith(String sql, boolean inserts) {
    assertEquals(inserts, SqlText.inserts(sql));
  }
}
