package io.github.sqlitewriters.report;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The summary's table of statement tasks ({@code submit(sql, parameters...)}) against lambda tasks
 * of the same strategy, setting and callers in the same run: asynchronous submitters ({@code
 * AsyncStatementSubmitters} against {@code AsyncSubmitters}, with the share of one connection's
 * executeBatch limit) and waiting callers ({@code ContendedStatementWrites} against {@code
 * ContendedWriteThroughput.insertOneRow}).
 *
 * <p>Why a table of ratios: the question is "should I hand the executor a statement instead of a
 * lambda", and the answer is the ratio in one state of the machine, not two absolute figures read
 * from tables far apart.
 */
final class StatementTaskTables {
  /** Pairs of (statement benchmark, lambda benchmark, callers, method). */
  private static final List<String[]> PAIRS =
      List.of(
          new String[] {
            "AsyncStatementSubmitters", "AsyncSubmitters", "async submitters", "submitWindow"
          },
          new String[] {
            "ContendedStatementWrites",
            "ContendedWriteThroughput",
            "waiting callers",
            "insertOneRow"
          });

  private StatementTaskTables() {}

  static void markdown(Summary summary, List<JmhResult> results, StringBuilder text) {
    MarkdownTable table =
        new MarkdownTable(
            "callers",
            "strategy",
            "journal + sync",
            "threads",
            "statement tasks/s",
            "lambda tasks/s",
            "ratio",
            "of executeBatch limit");
    boolean any = false;
    for (String[] pair : PAIRS) {
      List<JmhResult> statements =
          results.stream()
              .filter(r -> r.benchmark().equals(pair[0]) && !r.virtualCallers())
              .sorted(
                  Comparator.comparing((JmhResult r) -> r.param("journalMode"))
                      .thenComparing(r -> r.param("synchronous"))
                      .thenComparing(r -> r.param("strategy"))
                      .thenComparingInt(JmhResult::threads))
              .toList();
      for (JmhResult statement : statements) {
        Optional<JmhResult> lambda =
            results.stream()
                .filter(
                    r ->
                        r.benchmark().equals(pair[1])
                            && r.method().equals(pair[3])
                            && r.mode().equals(statement.mode())
                            && !r.virtualCallers()
                            && Summary.sameSettings(r, statement)
                            && r.param("strategy").equals(statement.param("strategy")))
                .findFirst();
        double rows = statement.secondaryScore(Counters.COMMITTED);
        double lambdaRows =
            lambda.map(r -> r.secondaryScore(Counters.COMMITTED)).orElse(Double.NaN);
        double limit =
            summary
                .limit(
                    "executeBatch1000RowsPerTransaction",
                    statement.param("journalMode"),
                    statement.param("synchronous"))
                .map(JmhResult::score)
                .orElse(Double.NaN);
        table.row(
            pair[2],
            statement.param("strategy"),
            statement.param("journalMode") + " + " + statement.param("synchronous"),
            Integer.toString(statement.threads()),
            MarkdownTable.number(rows),
            MarkdownTable.number(lambdaRows),
            MarkdownTable.ratio(rows / lambdaRows),
            pair[0].startsWith("Async") && !Double.isNaN(limit)
                ? String.format("%.0f %%", 100 * rows / limit)
                : "-");
        any = true;
      }
    }
    if (!any) {
      return;
    }
    text.append("## Statement tasks against lambda tasks\n\n")
        .append("The same rows handed to the executor as a statement and its parameters")
        .append(" (`submit(sql, parameters...)`), which group-commit runs as one executeBatch,")
        .append(" and as a lambda: committed rows per second of each (higher is better), their")
        .append(" ratio, and for asynchronous submitters the share of one connection's")
        .append(" executeBatch limit (1000 rows per transaction) in the same run.\n\n")
        .append(table)
        .append('\n');
  }
}
