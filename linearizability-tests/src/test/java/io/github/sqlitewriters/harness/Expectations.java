package io.github.sqlitewriters.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.Strategies;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one harness test expects of every strategy, declared at the top of the test with a one-line
 * reason, the way jcstress declares each outcome of a test before it runs. Declaring up front keeps
 * the claims readable in one place, makes a strategy without a declared outcome an error rather
 * than a silent pass, and asserts every negative control: a test that never sees the broken
 * strategies fail could not catch a broken product strategy either.
 */
public final class Expectations {

  /** What a test may see from one strategy. */
  public enum Outcome {
    /** Every write is kept and no caller fails. */
    KEEPS_EVERY_WRITE,
    /** A negative control: some callers must fail with SQLITE_BUSY. */
    FAILS_CALLERS_WITH_BUSY,
    /**
     * Callers may fail, too rarely or too irregularly to assert either way; every failure must
     * still be visible (the tests' common checks hold for every strategy).
     */
    MAY_FAIL_CALLERS
  }

  /** One strategy's declared outcome in one test, and why. */
  public record Expectation(Outcome outcome, String reason) {}

  private final String test;
  private final Map<String, Expectation> byStrategy;

  private Expectations(String test, Map<String, Expectation> byStrategy) {
    this.test = test;
    this.byStrategy = byStrategy;
  }

  /** Starts the declarations of the test named {@code test}. */
  public static Builder of(String test) {
    return new Builder(test);
  }

  /**
   * Asserts the strategy's declared outcome from how its callers' writes ended, {@code attempted}
   * being the number of writes the callers made.
   */
  public void check(String strategy, Harness.Tally tally, long attempted) {
    Expectation expected = byStrategy.get(strategy);
    String why = test + ", " + strategy + " (" + expected.reason() + ")";
    switch (expected.outcome()) {
      case KEEPS_EVERY_WRITE -> {
        assertEquals(0, tally.failed(), why + ": no caller fails; " + tally);
        assertEquals(attempted, tally.committed(), why + ": every write is kept; " + tally);
      }
      case FAILS_CALLERS_WITH_BUSY ->
          assertTrue(tally.busy() > 0, why + ": callers must fail with SQLITE_BUSY; " + tally);
      case MAY_FAIL_CALLERS -> {
        // Nothing beyond the common checks: every failure visible, no acknowledged write lost.
      }
    }
  }

  /** Collects one test's declarations and refuses a table that leaves a strategy out. */
  public static final class Builder {
    private final String test;
    private final Map<String, Expectation> byStrategy = new LinkedHashMap<>();

    private Builder(String test) {
      this.test = test;
    }

    public Builder keepsEveryWrite(Collection<String> strategies, String reason) {
      strategies.forEach(s -> declare(s, Outcome.KEEPS_EVERY_WRITE, reason));
      return this;
    }

    public Builder failsCallersWithBusy(Collection<String> strategies, String reason) {
      strategies.forEach(s -> declare(s, Outcome.FAILS_CALLERS_WITH_BUSY, reason));
      return this;
    }

    public Builder mayFailCallers(Collection<String> strategies, String reason) {
      strategies.forEach(s -> declare(s, Outcome.MAY_FAIL_CALLERS, reason));
      return this;
    }

    public Expectations build() {
      var missing = new TreeSet<>(Strategies.names());
      missing.removeAll(byStrategy.keySet());
      if (!missing.isEmpty()) {
        throw new IllegalStateException(test + " declares no outcome for " + missing);
      }
      return new Expectations(test, Map.copyOf(byStrategy));
    }

    private void declare(String strategy, Outcome outcome, String reason) {
      if (!Strategies.names().contains(strategy)) {
        throw new IllegalArgumentException(test + " declares an unknown strategy " + strategy);
      }
      Expectation before = byStrategy.putIfAbsent(strategy, new Expectation(outcome, reason));
      if (before != null) {
        throw new IllegalStateException(test + " declares " + strategy + " twice");
      }
    }
  }
}
