package io.entrenar.sink.schema;

import io.entrenar.sink.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code V<NNN>__<name>.sql} resources applied in order, each
 * recorded in {@code <db>.schema_migrations}. Running again applies only what is missing, and
 * every statement is itself idempotent ({@code IF NOT EXISTS}), so a migration interrupted
 * half-way is finished by the next start.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The migrations, in order. A new one goes at the end; released ones never change. */
    static final List<Migration> ALL = List.of(
            new Migration(1, "tables"),
            new Migration(2, "runs_view"),
            new Migration(3, "process_records"),
            new Migration(4, "runs_view_annotations"));

    record Migration(int version, String name) {
        String resource() {
            return String.format("V%03d__%s.sql", version, name);
        }
    }

    private Migrations() {
    }

    /** Creates the database and applies the missing migrations; returns the versions applied now. */
    public static List<Integer> apply(Engine engine, String database) {
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        engine.execute("CREATE DATABASE IF NOT EXISTS " + database);
        engine.execute("CREATE TABLE IF NOT EXISTS " + database + ".schema_migrations "
                + "(version UInt32, name String, applied_at DateTime64(3, 'UTC')) "
                + "ENGINE = ReplacingMergeTree ORDER BY version");
        Set<Integer> done = new HashSet<>();
        for (List<String> row : engine.rows("SELECT version FROM " + database + ".schema_migrations FINAL").rows()) {
            done.add(Integer.parseInt(row.getFirst()));
        }
        List<Integer> applied = new ArrayList<>();
        for (Migration m : ALL) {
            if (done.contains(m.version())) {
                continue;
            }
            for (String statement : statements(m, database)) {
                engine.execute(statement);
            }
            engine.execute("INSERT INTO " + database + ".schema_migrations SELECT {v:UInt32}, {n:String}, now64(3)",
                    Map.of("v", Integer.toString(m.version()), "n", m.name()));
            LOG.info("applied schema migration {} ({}) to {}", m.version(), m.name(), database);
            applied.add(m.version());
        }
        return applied;
    }

    /** The statements of a migration file, {@code ${db}} replaced: split at {@code ;} ending a line. */
    static List<String> statements(Migration m, String database) {
        String text;
        try (InputStream in = Migrations.class.getResourceAsStream(m.resource())) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + m.resource());
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String s = current.toString().strip();
                out.add(s.substring(0, s.length() - 1).replace("${db}", database));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException(m.resource() + " ends without ';'");
        }
        return out;
    }
}
