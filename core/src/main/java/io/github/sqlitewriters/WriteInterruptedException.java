package io.github.sqlitewriters;

import java.sql.SQLException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The calling thread was interrupted while it waited (for a lock, a connection, a queue place or a
 * writer thread). Its interrupt flag is set again before this is thrown.
 *
 * <p>Interruption never splits a transaction: the work is either committed whole or not at all.
 * {@link #outcome()} says which, when that is known at the moment of the interrupt; when the work
 * was already running on a writer thread it is not yet known, and {@link #completion()} completes
 * once it is.
 */
public final class WriteInterruptedException extends SQLException {
  private static final long serialVersionUID = 1L;

  /** What became of the work. */
  public enum Outcome {
    /** The work never ran, or was rolled back: nothing of it is in the database. */
    NOT_COMMITTED,
    /** The work was committed before the caller stopped waiting. */
    COMMITTED,
    /** The work was running on a writer thread; {@link #completion()} tells how it ended. */
    UNKNOWN
  }

  private final Outcome outcome;
  private final transient CompletableFuture<?> completion;

  /** The work never ran or was rolled back. */
  public static WriteInterruptedException notCommitted(String strategy) {
    return new WriteInterruptedException(
        strategy,
        Outcome.NOT_COMMITTED,
        CompletableFuture.failedFuture(
            new CancellationException("not committed: the caller was interrupted")));
  }

  /** The work was committed; {@code completion} holds its result. */
  public static WriteInterruptedException committed(
      String strategy, CompletableFuture<?> completion) {
    return new WriteInterruptedException(strategy, Outcome.COMMITTED, completion);
  }

  /** The work is running on a writer thread; {@code completion} will tell. */
  public static WriteInterruptedException unknown(
      String strategy, CompletableFuture<?> completion) {
    return new WriteInterruptedException(strategy, Outcome.UNKNOWN, completion);
  }

  private WriteInterruptedException(
      String strategy, Outcome outcome, CompletableFuture<?> completion) {
    super(
        "interrupted while waiting on "
            + strategy
            + "; the work is "
            + (outcome == Outcome.NOT_COMMITTED
                ? "not committed"
                : outcome == Outcome.COMMITTED
                    ? "committed"
                    : "still running on the writer thread (see completion())"),
        "HY008");
    this.outcome = outcome;
    this.completion = completion;
  }

  /** What became of the work, as far as it was known when the caller was interrupted. */
  public Outcome outcome() {
    return outcome;
  }

  /** Completes when the work's fate is known; already complete unless the outcome is UNKNOWN. */
  public CompletableFuture<?> completion() {
    return completion;
  }
}
