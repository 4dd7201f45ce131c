package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.harness.lincheck.LincheckJars;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Model checking where it can be honest: the pure-Java hand-over between a caller and the writer
 * thread, with no SQLite behind it. A task waiting in a writer's queue can be claimed by the
 * writer, withdrawn by an interrupted caller, or cancelled through its future; exactly one of them
 * may win, and a caller that withdrew must be able to say for certain that the work never ran.
 * Lincheck explores the interleavings of {@link WriteTask}'s atomic state and its CompletableFuture
 * and checks each against {@link Sequential}.
 *
 * <p>The test sits in the core package because WriteTask is package-private.
 */
public class WriteTaskModelCheckingTest {
  @org.junit.jupiter.api.BeforeAll
  static void deleteLincheckJarAtExit() {
    LincheckJars.deleteAtExit();
  }

  private final WriteTask<Integer> task = new WriteTask<>(connection -> 1);

  @Operation
  public boolean writerClaims() {
    return task.claim();
  }

  @Operation
  public boolean callerWithdraws() {
    return task.withdraw();
  }

  @Operation
  public boolean futureCancelled() {
    return task.future().cancel(false);
  }

  @Operation
  public boolean futureDone() {
    return task.future().isDone();
  }

  @Test
  void claimWithdrawAndCancelAreLinearizable() {
    new ModelCheckingOptions()
        .iterations(30)
        .invocationsPerIteration(200)
        .threads(3)
        .actorsPerThread(2)
        .minimizeFailedScenario(false)
        .sequentialSpecification(Sequential.class)
        .check(WriteTaskModelCheckingTest.class);
  }

  /**
   * The specification: the first of claim, withdraw and cancel decides; a cancel completes the
   * future.
   */
  public static class Sequential {
    private boolean claimed;
    private boolean withdrawn;
    private boolean cancelled;

    public boolean writerClaims() {
      if (cancelled || claimed || withdrawn) {
        return false;
      }
      claimed = true;
      return true;
    }

    public boolean callerWithdraws() {
      if (claimed || withdrawn) {
        return false;
      }
      withdrawn = true;
      return true;
    }

    /** CompletableFuture.cancel answers whether the future is now cancelled, not who did it. */
    public boolean futureCancelled() {
      cancelled = true;
      return true;
    }

    public boolean futureDone() {
      return cancelled;
    }
  }
}
