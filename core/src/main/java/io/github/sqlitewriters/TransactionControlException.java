package io.github.sqlitewriters;

import java.sql.SQLNonTransientException;

/**
 * Work tried to begin, commit or roll back the transaction, change the connection's settings, reach
 * the raw connection, or close it. The executor owns the transaction (under {@code group-commit} it
 * holds other callers' work too), so these are refused: the plain forms before they reach SQLite,
 * and any form that slips past (a COMMIT hidden in a multi-statement string, say) the moment SQLite
 * reports that the transaction ended. Nobody else's outcome is misreported either way.
 *
 * <p>{@link #outcome()} says what became of this work's own writes, which is not always "nothing":
 * a work that managed to COMMIT did commit what it had written up to then.
 */
public final class TransactionControlException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;

  /** What became of the refused work's writes. */
  public enum Outcome {
    /** Refused before it took effect, or rolled back: nothing the work wrote is in the database. */
    NOT_COMMITTED,
    /**
     * The work ended the transaction with a commit of its own before it was stopped: what it wrote
     * up to that point is in the database. Nothing it tried after that ran.
     */
    COMMITTED_BY_WORK,
    /**
     * The work committed and a later statement of the same call failed with an error after which
     * SQLite rolls back: whether its writes are in the database cannot be told.
     */
    UNKNOWN
  }

  private final Outcome outcome;

  /**
   * A call or statement refused before it took effect.
   *
   * @param what the refused call or statement
   */
  public TransactionControlException(String what) {
    this(what, Outcome.NOT_COMMITTED);
  }

  public TransactionControlException(String what, Outcome outcome) {
    super(
        what
            + " is not allowed inside work: the transaction belongs to the executor"
            + " (use SAVEPOINT, RELEASE and ROLLBACK TO for nested scopes)"
            + (outcome == Outcome.COMMITTED_BY_WORK
                ? "; the work had already committed what it wrote before it was stopped"
                : outcome == Outcome.UNKNOWN
                    ? "; the work committed and then failed, so whether its writes are in the"
                        + " database cannot be told"
                    : "; nothing the work wrote was committed"));
    this.outcome = outcome;
  }

  /** What became of the work's own writes. */
  public Outcome outcome() {
    return outcome;
  }
}
