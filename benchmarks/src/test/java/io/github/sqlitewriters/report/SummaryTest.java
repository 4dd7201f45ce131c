package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void throughputTableStatesUnitsDirectionAndRatios() throws Exception {
    String markdown = new Summary(Fixtures.load("smoke-b")).markdown();
    assertTrue(markdown.contains("## Contended write throughput"), markdown);
    assertTrue(markdown.contains("higher is better"), markdown);
    assertTrue(markdown.contains("### WAL + FULL"), markdown);
    // group-commit 27,152/s against single-connection's 8,585/s and the 9,654/s autocommit limit.
    assertTrue(markdown.contains("| group-commit | 27,152 | 3.16x | 2.81x | 0.00 |"), markdown);
    assertTrue(markdown.contains("| single-connection | 8,585 | 1.00x | 0.89x | 0.00 |"), markdown);
    // busy/iter is the larger of its two iterations (78,507 and 89,044), not JMH's sum 167,551.
    assertTrue(
        markdown.contains("| deferred-no-timeout | 209 | 0.02x | 0.02x | 89,044 |"), markdown);
    assertTrue(markdown.contains("## The limits of one connection"), markdown);
    assertTrue(
        markdown.contains("| executeBatch1000RowsPerTransaction | WAL + FULL | 954,655 | - |"),
        markdown);
  }

  @Test
  void leavesOutQuestionsTheRunDidNotAsk() throws Exception {
    String markdown = new Summary(Fixtures.load("smoke-a")).markdown();
    assertFalse(markdown.contains("## Commit latency"));
    assertFalse(markdown.contains("## The limits"));
    assertTrue(markdown.contains("x autocommit limit @8 |"), "the column is there");
    assertTrue(markdown.contains("| group-commit | 32,964 | 4.16x | - |"), markdown);
  }

  @Test
  void groupCommitIsSetAgainstTheBareReferenceOfTheSameCell() throws Exception {
    String markdown = new Summary(Fixtures.load("smoke-c")).markdown();
    assertTrue(markdown.contains("## group-commit against a bare group commit"), markdown);
    // 28,320 committed rows/s against the reference's 24,287 in the same smoke run.
    assertTrue(
        markdown.contains("| waiting callers | 8 | WAL + FULL | 28,320 | 24,287 | 1.17x |"),
        markdown);
    assertFalse(
        new Summary(Fixtures.load("smoke-b")).markdown().contains("bare group commit"),
        "no table without the reference");
  }

  @Test
  void theSqliteSystemsOfAPostgresRunShowWhereNoServerStarted() throws Exception {
    // Cut from results/2026-11-24-peers: the PostgresComparison cell at 8 clients, WAL + FULL,
    // with the PostgreSQL systems left out, as a sweep where no server can start records it.
    String markdown = new Summary(Fixtures.load("postgres-no-server")).markdown();
    assertTrue(markdown.contains("## SQLite strategies against PostgreSQL, durable"), markdown);
    assertTrue(markdown.contains("PostgreSQL did not run in this sweep"), markdown);
    assertTrue(markdown.contains("| group-commit | 31,742 | - |"), markdown);
  }

  /** Statement tasks are set against the lambda tasks of the same cell, and the batched limit. */
  @Test
  void statementTasksAreSetAgainstLambdasAndTheLimit() throws Exception {
    String markdown = new Summary(Fixtures.load("statement-tasks")).markdown();
    assertTrue(markdown.contains("## Statement tasks against lambda tasks"), markdown);
    // 756,108 statement rows/s against 460,523 lambda rows/s and the 1,015,524 rows/s limit.
    assertTrue(
        markdown.contains(
            "| async submitters | group-commit | WAL + NORMAL | 4 | 756,108 | 460,523 | 1.64x | 74 %"
                + " |"),
        markdown);
    assertTrue(
        markdown.contains(
            "| waiting callers | group-commit | WAL + FULL | 8 | 30,711 | 26,026 | 1.18x | - |"),
        markdown);
  }

  /**
   * Statement tasks are set against the reference that runs each batch as one executeBatch, and
   * lambda tasks against the one that runs a statement per row: each against its own bar.
   */
  @Test
  void statementTasksAreSetAgainstTheBatchedReference() throws Exception {
    String markdown = new Summary(Fixtures.load("batched-reference")).markdown();
    assertTrue(markdown.contains("## group-commit against a bare group commit"), markdown);
    // A short cold run: 272,181 statement rows/s against the batched reference's 824,544, and
    // 219,436 lambda rows/s against the per-row reference's 625,323.
    assertTrue(
        markdown.contains(
            "| async statement tasks | 4 | WAL + NORMAL | 272,181 | 824,544 | 0.33x |"),
        markdown);
    assertTrue(
        markdown.contains("| async submitters | 4 | WAL + NORMAL | 219,436 | 625,323 | 0.35x |"),
        markdown);
    assertFalse(
        markdown.contains("| async submitters | 4 | WAL + NORMAL | 219,436 | 824,544"), markdown);
  }
}
