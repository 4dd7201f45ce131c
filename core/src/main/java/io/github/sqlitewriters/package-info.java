/**
 * Write executors for SQLite: one interface, {@link io.github.sqlitewriters.WriteExecutor}, and
 * strategies behind it, each reached by its kebab-case name through {@link
 * io.github.sqlitewriters.Strategies}. One package on purpose: the public API is the few public
 * types; everything else is package-private, so it can change without breaking a user. A map of the
 * files:
 *
 * <p><b>API</b> (public)
 *
 * <ul>
 *   <li>Opening: {@code Strategies} (every strategy's facts in one table), {@code SqliteSettings}
 *       (the PRAGMAs, set and read back on every connection), {@code ExecutorOptions}, {@code
 *       CheckpointPolicy}.
 *   <li>Using: {@code WriteExecutor}, {@code SqlWork}, {@code ImmediateDataSource} (a DataSource
 *       for Spring, Jdbi and plain JDBC), {@code ExecutorStats}, {@code MicrometerMetrics}.
 *   <li>What can go wrong, one type each: {@code SqliteBusyException}, {@code SqliteOpenException},
 *       {@code WriteQueueFullException}, {@code WriteInterruptedException}, {@code
 *       WriteOutcomeUnknownException}, {@code TransactionControlException}, {@code
 *       WriteInReadException}, {@code ConnectionOutsideWorkException}, {@code
 *       DatabaseFileMovedException}.
 * </ul>
 *
 * <p><b>Strategies</b> (one class each; {@code AbstractExecutor} is what they share)
 *
 * <ul>
 *   <li>On the caller's thread ({@code CallerThreadExecutor}): {@code DeferredExecutor} ({@code
 *       deferred-no-timeout}, {@code deferred-busy-timeout}), {@code DeferredRetryExecutor}, {@code
 *       HikariPoolExecutor}, {@code SingleConnectionExecutor}, {@code ImmediateExecutor}.
 *   <li>On a writer thread ({@code WriterThreadExecutor}, {@code WriteTask}): {@code
 *       SerializedWriterExecutor}, {@code GroupCommitExecutor}.
 * </ul>
 *
 * <p><b>Machinery</b>
 *
 * <ul>
 *   <li>Transactions: {@code ImmediateTransactions} (BEGIN IMMEDIATE / COMMIT as SQL, busy retries
 *       to a deadline), {@code JdbcTransactions} (the driver's own, for the comparison strategies),
 *       {@code WriteTurns} (fair turns at the write lock), {@code ControlStatements}, {@code
 *       SqlStatements}, {@code Backoff}.
 *   <li>Work that misbehaves: {@code SealedConnection} (the view a work sees), {@code
 *       TransactionWatch} (SQLite's commit and rollback hooks), {@code SqlText} (what SQL text
 *       says), {@code WriteConnection} (checked, restored or replaced), {@code StatementCache}.
 *   <li>Connections and files: {@code ConnectionPool}, {@code ReaderConnection}, {@code
 *       DatabaseFile}, {@code WalCheckpoints}, {@code SqliteErrors}.
 *   <li>The DataSource: {@code DataSourceConnection}, {@code DataSourceObject}.
 *   <li>Counting: {@code StatsRecorder}, {@code WriteObserver}, {@code CommitEvent} and {@code
 *       BusyWaitEvent} (JFR), {@code Lifecycle} (open, closing, closed).
 * </ul>
 */
package io.github.sqlitewriters;
