package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.WriteOutcomeUnknownException;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The SQLite transaction that the write transactions of a {@code GroupCommitDataSource} share, on
 * the one write connection they all run on: group commit with early lock release.
 *
 * <p>Each lent transaction is a <em>member</em>: it takes the DataSource's write turn, joins the
 * open SQLite transaction (or begins one with {@code BEGIN IMMEDIATE}) under a savepoint of its
 * own, and at its {@code commit()} releases the savepoint and hands the turn to the next waiting
 * transaction at once; its {@code commit()} then returns when the COMMIT that holds its writes has
 * returned. {@code rollback()} rolls back to the savepoint: that member alone. The COMMIT runs when
 * the member that ends finds nobody waiting for the turn, or the group has {@link #MOST_MEMBERS}
 * members, or its first member has waited {@link #GATHER_NANOS}: a {@code commit()} waits at most
 * for the transactions that began within that time after it, then one COMMIT.
 *
 * <p>Why it is safe (DeWitt et al., 1984; Johnson et al., "Aether", VLDB 2010): a later member can
 * read an earlier one's writes before they are durable, but both are in the same COMMIT, so if it
 * fails every {@code commit()} it held throws, and nothing is reported committed that is not. What
 * could make the COMMIT fail for one member's sake is kept out of the group: a member whose first
 * statement is DDL or a PRAGMA runs after the pending COMMIT, and one that runs them later closes
 * its group to later members and has its foreign keys checked before its savepoint is released
 * ({@code PRAGMA defer_foreign_keys}); a schema with deferred foreign keys or ROLLBACK conflict
 * clauses makes every member run alone; and {@code OR ROLLBACK} is refused before it runs.
 *
 * <p>Every method but {@link #awaitCommit} runs under the DataSource's write turn, which is what
 * keeps the fields consistent without a lock of their own.
 */
final class SharedCommit {
  /** The most members one COMMIT holds. */
  static final int MOST_MEMBERS = 64;

  /** How long the first member of a group waits for later ones before its COMMIT runs. */
  static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /**
   * How long a member waits for its COMMIT before it takes the turn to run it itself: only when the
   * transaction it handed the turn to gave up waiting for it, so nobody else will.
   */
  private static final long STRANDED_MILLIS = 50;

  /** The members' savepoint: one at a time, under a name the callers' SQL may not use. */
  static final String MEMBER_SAVEPOINT = "sqlite_writers_member";

  private final DataSourcePool source;
  private volatile WriteConnection writer;
  private volatile Group open;

  /** The DataSource is closing: no group takes more members, so close() soon gets the turn. */
  private volatile boolean closing;

  /** The DataSource has closed: no connection is opened again. */
  private volatile boolean closed;

  private int schemaVersion = -1;
  private boolean schemaAsksForAlone;

  /**
   * One SQLite transaction and its members, whose {@code commit()} waits for its COMMIT. Completed
   * once, by whoever ends it: the member that runs the COMMIT, or the DataSource's close.
   */
  static final class Group {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile SQLException failure;
    private final long begunNanos;
    private int members;

    /** Set once its COMMIT runs, which has a busy deadline of its own. */
    private volatile boolean committing;

    private long firstReleasedNanos;

    /** No member joins any more: the group ends with the member that holds it now. */
    private boolean closed;

    private Group(long begunNanos, boolean closed) {
      this.begunNanos = begunNanos;
      this.closed = closed;
    }

    /** Whether earlier members wait in this group for its COMMIT. */
    boolean hasMembers() {
      return members > 0;
    }

    private synchronized void complete(SQLException error) {
      if (done.getCount() == 0) {
        return;
      }
      failure = error;
      done.countDown();
    }

    boolean completed() {
      return done.getCount() == 0;
    }
  }

  SharedCommit(DataSourcePool source, WriteConnection writer) {
    this.source = source;
    this.writer = writer;
  }

  /** The connection the members run on. */
  WriteConnection writer() {
    return writer;
  }

  /**
   * Joins the open group, or begins a new SQLite transaction for one, and sets the member's
   * savepoint. A group that takes no more members is committed first.
   *
   * @param calledNanos when the member asked, for the busy deadline of a BEGIN IMMEDIATE
   */
  Group join(long calledNanos) throws SQLException, InterruptedException {
    if (open != null && !joinable(open)) {
      commitOpen();
    }
    if (open == null) {
      // The group holds the process's turn from its BEGIN to its end, whichever member has the
      // turn here: the SQLite transaction stays open across the members in between.
      source.turns.takeProcessTurn(calledNanos);
      try {
        reopenIfClosed();
        source.transactions.begin(writer, calledNanos);
      } catch (SQLException | InterruptedException | RuntimeException e) {
        source.turns.giveProcessTurn();
        throw e;
      }
      writer.watch.arm();
      open = new Group(System.nanoTime(), false);
      try {
        open.closed = schemaAsksForAlone();
      } catch (SQLException e) {
        rollbackOpen();
        throw e;
      }
    }
    try {
      writer.statements.execute("SAVEPOINT " + MEMBER_SAVEPOINT);
    } catch (SQLException e) {
      lose(open, e);
      throw e;
    }
    return open;
  }

  /**
   * Whether the member that ends may hand the open group to the next: the time bound is read here,
   * when the turn is handed over, so that the next member's wake-up does not count against it.
   */
  private boolean takesMembers(Group group) {
    return joinable(group)
        && (group.members == 0 || System.nanoTime() - group.firstReleasedNanos < GATHER_NANOS);
  }

  /** Whether a member that has the turn may join the open group. */
  private boolean joinable(Group group) {
    return !group.closed
        && !closing
        && !source.turns.processTurnWanted()
        && group.members < MOST_MEMBERS;
  }

  /**
   * The member about to run DDL or a PRAGMA: if it is the first thing it runs and earlier members
   * wait, their COMMIT runs first and the member goes on in a transaction of its own; either way no
   * later member joins its group, and the connection is replaced after it (the statement may have
   * changed its state). After other statements, with earlier members waiting, DDL that could roll
   * back the shared transaction or defer its foreign keys to the COMMIT (a ROLLBACK or DEFERRED
   * clause) is refused: its effect could no longer be kept to this member.
   *
   * @param ranBefore whether the member has run a statement or set a savepoint already
   * @return the group the member is in from now on; if joining a fresh one fails, the member is out
   *     of every group (its own savepoint is released, empty) and the caller must end it
   */
  Group alone(Group group, boolean ranBefore, String sql, long calledNanos)
      throws SQLException, InterruptedException {
    group.closed = true;
    if (!group.hasMembers()) {
      writer.replace();
      return group;
    }
    if (ranBefore) {
      if (sql != null && SqlText.mayRollBackOrDefer(sql)) {
        throw new TransactionControlException(
            "DDL with a ROLLBACK or DEFERRED clause after other statements, while other"
                + " transactions share this one's COMMIT (make it the transaction's first"
                + " statement)");
      }
      writer.replace();
      return group;
    }
    // Marked only once the earlier members' COMMIT has run: that COMMIT's check of the
    // connection would replace it under the statement about to run.
    writer.statements.execute("RELEASE " + MEMBER_SAVEPOINT);
    Group fresh = join(calledNanos);
    fresh.closed = true;
    writer.replace();
    return fresh;
  }

  /**
   * Ends the member that holds the turn: releases its savepoint (commit) or rolls back to it, then
   * either leaves the group open for the next waiting transaction or ends it now.
   *
   * @param checkForeignKeys whether the member ran DDL or a PRAGMA while earlier members waited:
   *     its foreign keys are checked before its savepoint is released, so that a violation it
   *     deferred fails it alone and not the COMMIT they share
   */
  void end(Group group, boolean commit, boolean checkForeignKeys) throws SQLException {
    if (open != group) {
      return;
    }
    SQLException refused =
        commit && checkForeignKeys && group.hasMembers() ? foreignKeyRefusal() : null;
    if (refused != null) {
      commit = false;
      source.stats.rolledBack();
    }
    try {
      if (commit) {
        writer.statements.execute("RELEASE " + MEMBER_SAVEPOINT);
        if (group.members++ == 0) {
          group.firstReleasedNanos = System.nanoTime();
        }
      } else {
        writer.statements.execute("ROLLBACK TO " + MEMBER_SAVEPOINT);
        writer.statements.execute("RELEASE " + MEMBER_SAVEPOINT);
      }
    } catch (SQLException e) {
      lose(group, e);
      throw e;
    }
    // An empty group is never left open: the one it is handed to may never join it. Ended, it
    // is rolled back (commitOpen's rule for an empty group).
    if (!group.hasMembers() || source.turns.waiting() == 0 || !takesMembers(group)) {
      commitOpen();
    }
    if (refused != null) {
      throw refused;
    }
  }

  /**
   * Checks the foreign keys before a member's savepoint is released: a violation, or a check that
   * fails (a foreign key SQLite cannot resolve), refuses the member alone.
   *
   * @return the member's error, or null if it may commit
   */
  private SQLException foreignKeyRefusal() {
    if (!source.settings.foreignKeys()) {
      return null;
    }
    try (Statement check = writer.connection.createStatement();
        ResultSet rows = check.executeQuery("PRAGMA foreign_key_check")) {
      return rows.next()
          ? new SQLException(
              "FOREIGN KEY constraint failed (checked before this transaction's COMMIT was shared"
                  + " with others): it is rolled back",
              "23000")
          : null;
    } catch (SQLException e) {
      return new SQLException(
          "its foreign keys could not be checked before its COMMIT was shared with others ("
              + e.getMessage()
              + "): it is rolled back",
          "23000",
          e);
    }
  }

  /**
   * Commits the open group before a caller of the turn writes outside it: an auto-commit write or
   * DDL on the caller's own connection, which SQLite's lock would refuse while it is open.
   */
  void flush() {
    if (open != null) {
      commitOpen();
    }
  }

  /**
   * SQLite ended the shared transaction by itself (a full disk, an I/O error): every member's
   * writes are gone with it, and each one's {@code commit()} says so.
   */
  void lose(Group group, SQLException cause) {
    if (open != group) {
      return;
    }
    open = null;
    try {
      writer.watch.disarm();
      ConnectionSteps.rollbackQuietly(writer.connection, cause);
      source.stats.rolledBack();
      writer.suspect();
      group.complete(
          new SQLException(
              "SQLite rolled back the transaction this one shared its COMMIT with ("
                  + cause.getMessage()
                  + "): nothing of it was committed",
              "40000",
              cause));
      restoreWriter();
    } finally {
      source.turns.giveProcessTurn();
    }
  }

  /** Whether the group is still the open one: SQLite has not ended it behind its members. */
  boolean isOpen(Group group) {
    return open == group;
  }

  private void commitOpen() {
    Group group = open;
    if (!group.hasMembers()) {
      rollbackOpen();
      return;
    }
    open = null;
    try {
      commit(group);
    } finally {
      source.turns.giveProcessTurn();
    }
  }

  private void commit(Group group) {
    group.committing = true;
    writer.watch.disarm();
    SQLException failure = null;
    // Another member's interrupt must not fail everyone's COMMIT: it is kept for after.
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          source.transactions.commit(writer, group.members, group.begunNanos);
          source.stats.committed(group.members);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          if (attempt == 3) {
            throw new SQLException("interrupted three times while committing", e);
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      ConnectionSteps.rollbackQuietly(writer.connection, e);
      source.stats.rolledBack();
      writer.suspect();
      failure =
          new SQLException(
              "the COMMIT this transaction shared with "
                  + (group.members - 1)
                  + " others failed, so none of them was committed: "
                  + e.getMessage(),
              e instanceof SQLException ? ((SQLException) e).getSQLState() : null,
              e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    group.complete(failure);
    restoreWriter();
  }

  private void rollbackOpen() {
    Group group = open;
    open = null;
    try {
      writer.watch.disarm();
      if (!ConnectionSteps.rollbackQuietly(writer.connection, new SQLException("rollback"))) {
        writer.suspect();
      }
      // Counted where each member rolled back; the group itself held nothing.
      group.complete(null);
      restoreWriter();
    } finally {
      source.turns.giveProcessTurn();
    }
  }

  /**
   * A member's {@code commit()}: waits, without holding the turn, for the COMMIT of its group, then
   * throws if it failed. Interrupts are kept for after: the writes are in the group by now, and the
   * caller must learn what became of them. If the COMMIT does not come (the transaction the turn
   * was handed to gave up waiting for it), the member takes the turn and runs it.
   */
  void awaitCommit(Group group, String name) throws SQLException {
    long since = System.nanoTime();
    long deadline = source.turns.deadline().toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (group.done.await(STRANDED_MILLIS, TimeUnit.MILLISECONDS)) {
            break;
          }
          commitIfStranded(group);
        } catch (InterruptedException e) {
          interrupted = true;
        }
        long waited = System.nanoTime() - since;
        if (waited > deadline && !group.committing && !group.completed()) {
          throw WriteOutcomeUnknownException.commitStillPending(name, Duration.ofNanos(waited));
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (group.failure instanceof WriteOutcomeUnknownException) {
      throw WriteOutcomeUnknownException.commitStillPending(
          name, Duration.ofNanos(System.nanoTime() - since));
    }
    if (group.failure != null) {
      throw new SQLException(
          name + ": " + group.failure.getMessage(),
          group.failure.getSQLState(),
          group.failure.getCause());
    }
  }

  private void commitIfStranded(Group group) throws InterruptedException {
    if (!source.turns.tryTakeHere(Duration.ZERO)) {
      // A transaction holds the turn: it ends the group when it ends. Wait on.
      return;
    }
    try {
      if (open == group) {
        commitOpen();
      }
    } finally {
      source.turns.releaseHere();
    }
  }

  /** Whether SQLite's schema asks every member to run alone: see the class comment. */
  private boolean schemaAsksForAlone() throws SQLException {
    Connection connection = writer.connection;
    try (Statement read = connection.createStatement()) {
      int version;
      try (ResultSet rows = read.executeQuery("PRAGMA schema_version")) {
        rows.next();
        version = rows.getInt(1);
      }
      if (version != schemaVersion) {
        try (ResultSet rows =
            read.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE sql LIKE '%INITIALLY%DEFERRED%'"
                    + " OR sql LIKE '%CONFLICT%ROLLBACK%'"
                    + " OR (type = 'trigger' AND sql LIKE '%ROLLBACK%'))")) {
          rows.next();
          schemaAsksForAlone = rows.getBoolean(1);
        }
        schemaVersion = version;
      }
    }
    return schemaAsksForAlone;
  }

  /** A connection a group left in doubt is checked, and replaced if it cannot be trusted. */
  private void restoreWriter() {
    if (closed || writer.restore(source.settings)) {
      return;
    }
    source.stats.connectionReopened();
    writer.close();
    try {
      writer = WriteConnection.open(source.settings.openConnection(), source.stats);
      if (closed) {
        writer.close(); // the DataSource closed meanwhile
      }
    } catch (SQLException e) {
      // Left closed: the next member's BEGIN reopens it, or fails with why.
    }
  }

  private void reopenIfClosed() throws SQLException {
    if (writer.connection.isClosed() && !closed) {
      writer = WriteConnection.open(source.settings.openConnection(), source.stats);
      if (closed) {
        writer.close(); // the DataSource closed meanwhile: BEGIN fails on it
      }
    }
  }

  /**
   * The DataSource closes. It first takes the turn (waiting up to the busy deadline; no group takes
   * members meanwhile), so that the members of an open group, which have all called commit(), get
   * their COMMIT. Without the turn (a caller keeps a transaction open, perhaps the calling thread),
   * a COMMIT may be running, so the members are told their outcome is unknown.
   */
  void close() {
    closing = true;
    boolean turn = false;
    try {
      turn = source.turns.tryTakeHere(source.turns.deadline());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (turn && open != null) {
        commitOpen();
      }
      closed = true;
      Group group = open;
      open = null;
      if (group != null) {
        group.complete(
            WriteOutcomeUnknownException.commitStillPending(source.name, source.turns.deadline()));
      }
      writer.close();
    } finally {
      if (turn) {
        source.turns.releaseHere();
      }
    }
  }
}
