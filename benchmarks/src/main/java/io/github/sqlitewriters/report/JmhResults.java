package io.github.sqlitewriters.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads JMH's JSON result files ({@code -rf json}) into {@link JmhResult}s. */
public final class JmhResults {
  private JmhResults() {}

  /** Every result in a JSON file, or in every {@code *.json} file directly inside a folder. */
  public static List<JmhResult> load(Path fileOrFolder) throws IOException {
    List<JmhResult> results = new ArrayList<>();
    if (Files.isDirectory(fileOrFolder)) {
      try (Stream<Path> files = Files.list(fileOrFolder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          results.addAll(parse(Files.readString(file)));
        }
      }
    } else {
      results.addAll(parse(Files.readString(fileOrFolder)));
    }
    return results;
  }

  /**
   * The results named on a command line, or an IllegalArgumentException whose message says in one
   * line what is wrong: a missing path, a folder without JMH JSON, a file that is not JMH JSON.
   */
  public static List<JmhResult> loadNamed(String name) {
    Path path = Path.of(name);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("no such file or folder: " + name);
    }
    List<JmhResult> results;
    try {
      results = load(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + name + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // Gson's parse errors and this class's own checks: the file is not JMH's JSON.
      throw new IllegalArgumentException(
          name + " is not JMH JSON output (" + e.getClass().getSimpleName() + ")");
    }
    if (results.isEmpty()) {
      throw new IllegalArgumentException(
          "no JMH results in " + name + (Files.isDirectory(path) ? " (no .json file in it)" : ""));
    }
    return results;
  }

  /** Parses the text of one JMH JSON file. */
  public static List<JmhResult> parse(String json) {
    JsonElement root = JsonParser.parseString(json);
    if (!root.isJsonArray()) {
      throw new IllegalArgumentException("not JMH JSON output: the top level is not an array");
    }
    List<JmhResult> results = new ArrayList<>();
    for (JsonElement element : root.getAsJsonArray()) {
      results.add(parseOne(element.getAsJsonObject()));
    }
    return results;
  }

  /**
   * The cells that match, grouped by journal mode and synchronous setting ("WAL + FULL"), WAL
   * before DELETE and NORMAL before FULL: the order of the summary's sections.
   */
  static Map<String, List<JmhResult>> bySetting(
      List<JmhResult> results, Predicate<JmhResult> which) {
    Map<String, List<JmhResult>> groups = new TreeMap<>(Comparator.reverseOrder());
    for (JmhResult r : results) {
      if (which.test(r)) {
        groups
            .computeIfAbsent(
                r.param("journalMode") + " + " + r.param("synchronous"), k -> new ArrayList<>())
            .add(r);
      }
    }
    return groups;
  }

  /** The largest value in a metric's raw data (per fork, per iteration); NaN without any. */
  private static double mostInOneIteration(JsonObject metric) {
    double most = Double.NaN;
    if (metric.has("rawData")) {
      for (JsonElement fork : metric.getAsJsonArray("rawData")) {
        for (JsonElement iteration : fork.getAsJsonArray()) {
          double value = iteration.getAsDouble();
          most = Double.isNaN(most) ? value : Math.max(most, value);
        }
      }
    }
    return most;
  }

  private static JmhResult parseOne(JsonObject entry) {
    String fullName = entry.get("benchmark").getAsString();
    String[] parts = fullName.split("\\.");
    String method = parts[parts.length - 1];
    String benchmark = parts.length > 1 ? parts[parts.length - 2] : fullName;
    Map<String, String> params = new TreeMap<>();
    if (entry.has("params")) {
      entry
          .getAsJsonObject("params")
          .entrySet()
          .forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
    }
    if (entry.has("jvmArgs")
        && entry.getAsJsonArray("jvmArgs").toString().contains("-Djmh.executor=VIRTUAL")) {
      params.put(JmhResult.CALLERS, JmhResult.VIRTUAL);
    }
    JsonObject primary = entry.getAsJsonObject("primaryMetric");
    Map<String, Double> percentiles = new LinkedHashMap<>();
    if (primary.has("scorePercentiles")) {
      primary
          .getAsJsonObject("scorePercentiles")
          .entrySet()
          .forEach(e -> percentiles.put(e.getKey(), number(e.getValue())));
    }
    Map<String, JmhResult.Metric> secondary = new TreeMap<>();
    if (entry.has("secondaryMetrics")) {
      for (Map.Entry<String, JsonElement> e :
          entry.getAsJsonObject("secondaryMetrics").entrySet()) {
        JsonObject metric = e.getValue().getAsJsonObject();
        secondary.put(
            e.getKey(),
            new JmhResult.Metric(
                number(metric.get("score")),
                number(metric.get("scoreError")),
                metric.get("scoreUnit").getAsString(),
                mostInOneIteration(metric)));
      }
    }
    return new JmhResult(
        benchmark,
        method,
        entry.get("mode").getAsString(),
        entry.get("threads").getAsInt(),
        params,
        number(primary.get("score")),
        number(primary.get("scoreError")),
        primary.get("scoreUnit").getAsString(),
        percentiles,
        secondary,
        entry.has("jdkVersion") ? entry.get("jdkVersion").getAsString() : "");
  }

  /** JMH writes "NaN" as a string where it has no number. */
  private static double number(JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return Double.NaN;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      try {
        return Double.parseDouble(value.getAsString());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return value.getAsDouble();
  }
}
