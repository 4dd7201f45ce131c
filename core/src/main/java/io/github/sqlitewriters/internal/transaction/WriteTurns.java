package io.github.sqlitewriters.internal.transaction;

import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.internal.process.ProcessTurn;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns at SQLite's write lock for the callers of one process, served in arrival order, each held
 * from before BEGIN IMMEDIATE until after COMMIT or ROLLBACK.
 *
 * <p>Why: SQLite's busy handler wakes its sleepers by timer, not by arrival, which kept some
 * callers waiting for seconds while others went through; and a wait inside SQLite keeps a virtual
 * thread's carrier, while a wait here parks it. A fair semaphore rather than a lock, because a
 * {@code DataSource} connection may be committed from another thread than the one that began it.
 *
 * <p>The caller whose turn it is here then takes the process's turn among the processes that write
 * the file ({@link ProcessTurn}), so that the head of this queue, and only it, waits across
 * processes.
 */
public final class WriteTurns {
  private final Semaphore turn = new Semaphore(1, true);
  private final String strategy;
  private final long deadlineNanos;
  private final ProcessTurn processTurn;

  /**
   * Whether the caller whose turn it is holds the process's turn too: set by that caller, cleared
   * by whoever gives it first, that caller or {@link #close()}.
   */
  private final AtomicBoolean inProcessTurn = new AtomicBoolean();

  /**
   * @param strategy named in the busy error a caller gets when its turn does not come in time
   * @param deadline how long a caller waits for its turn, counted from its call
   * @param processTurn this process's turn among the processes writing the file, closed with this
   */
  public WriteTurns(String strategy, Duration deadline, ProcessTurn processTurn) {
    this.strategy = strategy;
    this.deadlineNanos = deadline.toNanos();
    this.processTurn = processTurn;
  }

  /**
   * Waits, parked and in arrival order, for the caller's turn here, then for the process's turn.
   *
   * @param calledNanos when the caller asked, so that time spent before counts
   * @throws SqliteBusyException if the turn did not come by the busy deadline
   */
  public void take(long calledNanos) throws SqliteBusyException, InterruptedException {
    takeHere(calledNanos);
    try {
      takeProcessTurn(calledNanos);
    } catch (InterruptedException e) {
      turn.release();
      throw e;
    }
  }

  /**
   * Waits for the caller's turn among this process's callers only. A caller that writes inside a
   * transaction another caller began (a {@code group-commit-data-source} member) takes no process
   * turn of its own: the transaction holds one from its BEGIN to its end.
   *
   * @throws SqliteBusyException if the turn did not come by the busy deadline
   */
  public void takeHere(long calledNanos) throws SqliteBusyException, InterruptedException {
    long remaining = calledNanos + deadlineNanos - System.nanoTime();
    if (!turn.tryAcquire(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
      throw new SqliteBusyException(
          SqliteBusyException.Code.BUSY,
          strategy,
          1,
          Duration.ofNanos(System.nanoTime() - calledNanos),
          new SQLException("still waiting behind other callers of " + strategy));
    }
  }

  /**
   * Takes the turn here if it comes within {@code wait}, out of arrival order: for one who must act
   * for callers already served (a group's COMMIT nobody else will run), not for a new caller.
   */
  public boolean tryTakeHere(Duration wait) throws InterruptedException {
    // A zero wait does not queue: it takes a free turn or none.
    return wait.isZero()
        ? turn.tryAcquire()
        : turn.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The busy deadline: how long a caller waits for its turn, counted from its call. */
  public Duration deadline() {
    return Duration.ofNanos(deadlineNanos);
  }

  /**
   * Waits for this process's turn among the processes writing the file, by the holder of the turn
   * here. Given back by {@link #release()} or {@link #giveProcessTurn()}.
   */
  public void takeProcessTurn(long calledNanos) throws InterruptedException {
    inProcessTurn.set(processTurn.take(calledNanos + deadlineNanos));
  }

  /** Gives the process's turn back, if held: the next writer here keeps it if it may. */
  public void giveProcessTurn() {
    if (inProcessTurn.getAndSet(false)) {
      processTurn.give(turn.hasQueuedThreads());
    }
  }

  /** Whether another process waits for the turn and this one's quantum is spent. */
  public boolean processTurnWanted() {
    return processTurn.wantedElsewhere();
  }

  /** Ends the turn here only; the process's turn stays with whoever holds it. */
  public void releaseHere() {
    turn.release();
  }

  /** Callers waiting for their turn now, about. */
  public int waiting() {
    return turn.getQueueLength();
  }

  /** Ends the turn; the longest waiting caller goes next, or another process's if it waits. */
  public void release() {
    giveProcessTurn();
    turn.release();
  }

  /**
   * Gives the process's turn back if a caller still holds it, then drops this owner's use of it: a
   * DataSource connection lent and never closed must not keep the other writers of the file
   * waiting. The caller's later {@link #release()} gives nothing twice.
   */
  public void close() {
    if (inProcessTurn.getAndSet(false)) {
      processTurn.give(false);
    }
    processTurn.close();
  }
}
