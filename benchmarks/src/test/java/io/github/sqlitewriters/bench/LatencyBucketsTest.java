package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void theQuantileIsWithinOneBucketOfTheTruth() {
    LatencyBuckets buckets = new LatencyBuckets();
    for (long micros = 1; micros <= 1_000; micros++) {
      buckets.record(micros * 1_000);
    }
    long p999 = buckets.quantileNanos(0.999);
    assertTrue(p999 >= 999_000 && p999 <= 999_000 * 1.1, "p99.9 " + p999);
    long p50 = buckets.quantileNanos(0.5);
    assertTrue(p50 >= 500_000 && p50 <= 500_000 * 1.1, "p50 " + p50);
  }

  @Test
  void drainedCountsMergeIntoAnotherAndLeaveNothingBehind() {
    LatencyBuckets child = new LatencyBuckets();
    child.record(5_000);
    child.record(5_000_000);
    LatencyBuckets parent = new LatencyBuckets();
    parent.add(child.drain());
    assertEquals("-", child.drain());
    assertEquals(
        LatencyBuckets.upperBoundNanos(LatencyBuckets.bucket(5_000_000)),
        parent.quantileNanos(1.0));
    assertEquals(0, new LatencyBuckets().quantileNanos(0.999));
  }
}
