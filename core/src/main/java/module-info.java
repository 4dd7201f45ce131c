/**
 * sqlite-writers' core: write executors for SQLite behind one interface. Only the API package is
 * exported; the machinery in {@code io.github.sqlitewriters.internal.*} is public inside the module
 * so its packages can use each other, and closed to every user of the module path, so it can change
 * without breaking one. On the class path the same classes load as before.
 *
 * <p>HikariCP (the {@code hikari-pool} comparison strategy) and Micrometer ({@code
 * MicrometerMetrics}) are optional: read when present, never required. Micrometer is transitive
 * because {@code MicrometerMetrics} hands its types to the caller.
 */
// Micrometer ships as an automatic module; its name is fixed by its manifest.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.sqlitewriters {
  requires transitive java.sql;
  requires jdk.jfr;
  requires org.xerial.sqlitejdbc;
  requires static com.zaxxer.hikari;
  requires static transitive micrometer.core;

  exports io.github.sqlitewriters;
}
