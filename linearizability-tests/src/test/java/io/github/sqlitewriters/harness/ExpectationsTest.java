package io.github.sqlitewriters.harness;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.harness.invariants.InvariantTest;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The declarations themselves: a table must cover every strategy, and each outcome can fail. */
class ExpectationsTest {
  private static final Expectations ALL_KEEP =
      Expectations.of("test").keepsEveryWrite(Strategies.names(), "reason").build();

  @Test
  void aTableThatLeavesAStrategyOutIsRefused() {
    var error =
        assertThrows(
            IllegalStateException.class,
            () ->
                Expectations.of("test")
                    .keepsEveryWrite(Harness.SAFE_IN_PROCESS, "reason")
                    .failsCallersWithBusy(Set.of(Strategies.DEFERRED_NO_TIMEOUT), "reason")
                    .build());
    assertTrue(error.getMessage().contains(Strategies.HIKARI_POOL), error.getMessage());
  }

  @Test
  void aStrategyDeclaredTwiceOrUnknownIsRefused() {
    assertThrows(
        IllegalStateException.class,
        () ->
            Expectations.of("test")
                .keepsEveryWrite(Set.of(Strategies.IMMEDIATE), "reason")
                .mayFailCallers(Set.of(Strategies.IMMEDIATE), "reason"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Expectations.of("test").keepsEveryWrite(Set.of("no-such-strategy"), "reason"));
  }

  @Test
  void keepsEveryWriteFailsOnOneFailedCallerOrOneMissingWrite() {
    Harness.Tally oneFailed = tally(9, 1, 0);
    assertThrows(
        AssertionFailedError.class, () -> ALL_KEEP.check(Strategies.IMMEDIATE, oneFailed, 10));
    assertThrows(
        AssertionFailedError.class, () -> ALL_KEEP.check(Strategies.IMMEDIATE, tally(9, 0, 0), 10));
    assertDoesNotThrow(() -> ALL_KEEP.check(Strategies.IMMEDIATE, tally(10, 0, 0), 10));
  }

  @Test
  void aNegativeControlFailsTheTestWhenNoCallerSawBusy() {
    Expectations table = Harness.readThenWrite("test");
    assertThrows(
        AssertionFailedError.class,
        () -> table.check(Strategies.DEFERRED_NO_TIMEOUT, tally(10, 0, 0), 10));
    assertDoesNotThrow(() -> table.check(Strategies.DEFERRED_NO_TIMEOUT, tally(9, 1, 1), 10));
  }

  @Test
  void mayFailCallersAcceptsEitherWay() {
    Expectations table = InvariantTest.BANK;
    assertDoesNotThrow(() -> table.check(Strategies.HIKARI_POOL, tally(10, 0, 0), 10));
    assertDoesNotThrow(() -> table.check(Strategies.HIKARI_POOL, tally(5, 5, 5), 10));
  }

  private static Harness.Tally tally(long committed, long failed, long busy) {
    Harness.Tally tally = new Harness.Tally();
    tally.committed.add(committed);
    tally.failed.add(failed);
    tally.busy.add(busy);
    return tally;
  }
}
