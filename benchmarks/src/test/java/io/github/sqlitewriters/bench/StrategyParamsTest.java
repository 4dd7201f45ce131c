package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sqlitewriters.Strategies;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;

/**
 * JMH parameters must be constants, so each benchmark lists the strategy names itself; this keeps
 * every list equal to {@link Strategies#names()}, in the same order.
 */
class StrategyParamsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      classes = {
        ContendedWriteThroughput.class,
        ReadThenWriteUpgrade.class,
        CommitLatency.class,
        AsyncSubmitters.class,
        FlushLoops.class,
        ReadersDuringWrites.class
      })
  void everyBenchmarkMeasuresEveryStrategy(Class<?> benchmark) throws NoSuchFieldException {
    Field strategy = benchmark.getField("strategy");
    List<String> values = Arrays.asList(strategy.getAnnotation(Param.class).value());
    assertEquals(Strategies.names(), values);
  }
}
