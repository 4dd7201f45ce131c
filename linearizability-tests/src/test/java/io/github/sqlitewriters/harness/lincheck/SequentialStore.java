package io.github.sqlitewriters.harness.lincheck;

import java.util.HashSet;
import java.util.Set;

/** What {@link SqliteStore} must answer, one operation at a time, in plain Java. */
public class SequentialStore {
  private final Set<Integer> keys = new HashSet<>();
  private long counter;
  private final long[] balances = new long[SqliteStore.ACCOUNTS];

  public SequentialStore() {
    java.util.Arrays.fill(balances, SqliteStore.INITIAL_BALANCE);
  }

  public boolean insert(int key) {
    return keys.add(key);
  }

  public long count() {
    return keys.size();
  }

  public long increment() {
    return ++counter;
  }

  public boolean transfer(int from, int to, int amount) {
    if (from == to || balances[from] < amount) {
      return false;
    }
    balances[from] -= amount;
    balances[to] += amount;
    return true;
  }

  public long total() {
    long sum = 0;
    for (long balance : balances) {
      sum += balance;
    }
    return sum;
  }
}
