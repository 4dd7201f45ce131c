package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The layers of core, checked on the compiled classes with the JDK's own {@code jdeps}, so that the
 * folders keep showing the architecture: imports run downward only.
 *
 * <ul>
 *   <li>No internal class uses a facade ({@code Strategies}, the DataSources, {@code
 *       MicrometerMetrics}): the facades build on the machinery, never the reverse.
 *   <li>Each internal package has a rank; a class may use packages of a lower rank and its own,
 *       never one of a higher rank, nor another package of the same rank.
 *   <li>The API's other types (settings, options, exceptions, the work interface) use at most the
 *       connection layer: the settings open their connections through it.
 *   <li>{@code module-info} exports the API package and nothing else.
 * </ul>
 *
 * <p>Run alone: {@code mvn -pl core test -Dtest=ArchitectureTest}.
 */
class ArchitectureTest {
  private static final String BASE = "io.github.sqlitewriters";
  private static final String INTERNAL = BASE + ".internal.";
  private static final Set<String> FACADES =
      Set.of(
          "Strategies",
          "PoolDataSource",
          "ImmediateDataSource",
          "GroupCommitDataSource",
          "MicrometerMetrics");

  /** Lowest first. A new internal package must be given its place here. */
  private static final Map<String, Integer> RANK =
      Map.of(
          "sql", 1,
          "stats", 1,
          "process", 1,
          "connection", 2,
          "view", 3,
          "transaction", 4,
          "executor", 5,
          "datasource", 5,
          "comparison", 6);

  private static final int HIGHEST_RANK_THE_API_USES = RANK.get("connection");

  private static final Path CLASSES = Path.of("target", "classes");

  @Test
  void importsRunDownwardOnly() {
    List<String> wrong = new ArrayList<>();
    List<String[]> edges = edges();
    assertTrue(edges.size() > 100, "jdeps found too few dependencies: " + edges.size());
    for (String[] edge : edges) {
      String why = violation(edge[0], edge[1]);
      if (why != null) {
        wrong.add(simple(edge[0]) + " -> " + simple(edge[1]) + ": " + why);
      }
    }
    assertEquals(List.of(), wrong, "imports against the layers");
  }

  @Test
  void theRuleCatchesAnUpwardImport() {
    // The check above is only worth something if it can fail: each kind of wrong import is caught.
    assertFalse(violation(INTERNAL + "executor.GroupCommitExecutor", BASE + ".Strategies") == null);
    assertFalse(violation(INTERNAL + "view.LentStatement", INTERNAL + "datasource.X") == null);
    assertFalse(violation(INTERNAL + "executor.A", INTERNAL + "datasource.B") == null);
    assertFalse(violation(BASE + ".SqlWork", INTERNAL + "executor.AbstractExecutor") == null);
    assertFalse(violation(INTERNAL + "newthing.A", INTERNAL + "sql.SqlText") == null);
    assertEquals(null, violation(INTERNAL + "view.LentStatement", INTERNAL + "sql.SqlText"));
    assertEquals(null, violation(BASE + ".Strategies", INTERNAL + "comparison.DeferredExecutor"));
  }

  @Test
  void theModuleExportsOnlyTheApi() {
    ModuleDescriptor module = ModuleFinder.of(CLASSES).findAll().iterator().next().descriptor();
    Set<String> exported =
        module.exports().stream()
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(BASE), exported);
    assertTrue(module.packages().stream().anyMatch(p -> p.startsWith(INTERNAL)));
  }

  /** Why {@code from} may not use {@code to}, or null if it may. */
  private static String violation(String from, String to) {
    String fromPackage = packageOf(from);
    String toPackage = packageOf(to);
    if (fromPackage.equals(toPackage)) {
      return null;
    }
    boolean fromInternal = fromPackage.startsWith(INTERNAL);
    boolean toInternal = toPackage.startsWith(INTERNAL);
    if (!fromInternal) {
      if (isFacade(from) || !toInternal) {
        return null;
      }
      Integer rank = RANK.get(toPackage.substring(INTERNAL.length()));
      return rank != null && rank <= HIGHEST_RANK_THE_API_USES
          ? null
          : "an API type may use the connection layer and below only";
    }
    if (!toInternal) {
      return isFacade(to) ? "an internal class uses a facade" : null;
    }
    Integer fromRank = RANK.get(fromPackage.substring(INTERNAL.length()));
    Integer toRank = RANK.get(toPackage.substring(INTERNAL.length()));
    if (fromRank == null || toRank == null) {
      return "a package without a rank in ArchitectureTest.RANK";
    }
    if (toRank > fromRank) {
      return "a lower layer uses a higher one";
    }
    if (toRank.equals(fromRank)) {
      return "two packages of the same rank use each other";
    }
    return null;
  }

  private static boolean isFacade(String className) {
    return packageOf(className).equals(BASE) && FACADES.contains(outer(simple(className)));
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static String outer(String simpleName) {
    int nested = simpleName.indexOf('$');
    return nested < 0 ? simpleName : simpleName.substring(0, nested);
  }

  /** Every class-to-class dependency inside core, as jdeps reads it from the class files. */
  private static List<String[]> edges() {
    String modulePath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> entry.endsWith(".jar"))
            .collect(Collectors.joining(File.pathSeparator));
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "--multi-release",
            Integer.toString(Runtime.version().feature()),
            "--module-path",
            modulePath,
            "-verbose:class",
            "-e",
            Pattern.quote(BASE) + "\\..*",
            CLASSES.toString());
    assertEquals(0, exit, "jdeps failed: " + err);
    Pattern edge = Pattern.compile("^\\s+(" + Pattern.quote(BASE) + "\\S*)\\s+->\\s+(\\S+)");
    List<String[]> edges = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      Matcher matcher = edge.matcher(line);
      if (matcher.find() && matcher.group(2).startsWith(BASE + ".")) {
        edges.add(new String[] {matcher.group(1), matcher.group(2)});
      }
    }
    return edges;
  }
}
