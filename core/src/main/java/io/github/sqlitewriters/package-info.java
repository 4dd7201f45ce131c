/**
 * Write executors for SQLite: the API a user touches, and nothing else. One interface, {@link
 * io.github.sqlitewriters.WriteExecutor}, with the strategies behind it reached by their kebab-case
 * names through {@link io.github.sqlitewriters.Strategies}; {@link
 * io.github.sqlitewriters.GroupCommitDataSource} and {@link
 * io.github.sqlitewriters.ImmediateDataSource} for frameworks that take a DataSource; the settings,
 * options, statistics, the Micrometer binding, and one exception type for each thing that can go
 * wrong.
 *
 * <p>This is the only package {@code module-info.java} exports. The machinery lives under {@code
 * io.github.sqlitewriters.internal}, one package per role, each using only those listed before it
 * (a test over the compiled classes, {@code ArchitectureTest}, holds the order):
 *
 * <ol>
 *   <li>{@code sql}: what SQL text says and what SQLite's errors mean; quiet rollback and close.
 *       {@code stats}: counting, and the JFR events. {@code process}: turns among the processes
 *       that write one file, through the side file {@code <database>-turns}.
 *   <li>{@code connection}: opening connections as the settings say and checking them, the write
 *       connection with its statement cache, generated-key reading and transaction hooks, pools,
 *       the file's identity, WAL checkpoints.
 *   <li>{@code view}: the view of a connection a work gets, sealed when it returns, and the kit of
 *       JDBC views the DataSource uses too.
 *   <li>{@code transaction}: BEGIN IMMEDIATE ... COMMIT as SQL with busy retries to a deadline, and
 *       fair turns at the write lock, inside the process and then among processes.
 *   <li>{@code executor}: the product strategies ({@code immediate}, {@code serialized-writer},
 *       {@code group-commit}) and what they share. {@code datasource}: the machinery behind the two
 *       DataSources: the pool, the lent connection's JDBC routing, its transaction, and the SQLite
 *       transaction whose COMMIT {@code GroupCommitDataSource}'s transactions share.
 *   <li>{@code comparison}: the unsafe setups kept to be measured, reachable by name only.
 * </ol>
 */
package io.github.sqlitewriters;
