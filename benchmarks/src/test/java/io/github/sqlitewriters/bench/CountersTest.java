package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sqlitewriters.report.Counters;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counters JMH records under their field names are the names the reports read. */
class CountersTest {
  @Test
  void theCounterFieldsAreTheNamesTheReportsRead() {
    assertEquals(List.of(Counters.COMMITTED), publicFields(Committed.class));
    assertEquals(
        List.of(Counters.BUSY_FAILURES, Counters.OTHER_FAILURES), publicFields(Failures.class));
    assertEquals(
        List.of(Counters.FLUSH_FAILURES, Counters.FLUSHES_COMMITTED),
        publicFields(FlushLoops.Flushes.class));
    assertEquals(
        List.of(Counters.READ_FAILURES, Counters.READS),
        publicFields(ReadersDuringWrites.Reads.class));
  }

  private static List<String> publicFields(Class<?> counters) {
    return Arrays.stream(counters.getDeclaredFields())
        .filter(f -> Modifier.isPublic(f.getModifiers()) && !Modifier.isStatic(f.getModifiers()))
        .map(Field::getName)
        .sorted()
        .toList();
  }
}
