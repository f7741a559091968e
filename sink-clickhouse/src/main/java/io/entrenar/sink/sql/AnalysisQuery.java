package io.entrenar.sink.sql;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL analysis library: one {@code .sql} file per question, in
 * {@code src/main/resources/io/entrenar/sink/sql/}. {@code ${db}} stands for the database;
 * values are ClickHouse query parameters ({@code {name:Type}}), declared in the file's header as
 * {@code -- param name Type [= default]}, and always bound, never spliced into the text.
 */
public enum AnalysisQuery {
    FAILURE_PARETO("failure_pareto"),
    QUALITY_CORRELATION("quality_correlation"),
    PARETO_FRONTIER("pareto_frontier"),
    BEST_FOR_BUDGET("best_for_budget"),
    CHEAPEST_FOR_QUALITY("cheapest_for_quality"),
    RUN_COMPARISON("run_comparison"),
    METRIC_HISTORY("metric_history"),
    LINEAGE_ANCESTORS("lineage_ancestors"),
    LINEAGE_DESCENDANTS("lineage_descendants"),
    ETA_ACCURACY("eta_accuracy"),
    IO_VS_LOSS("io_vs_loss"),
    SWEEPS("sweeps"),
    SWEEP_PARAMETER_EFFECTS("sweep_parameter_effects"),
    RUN_PROCESS("run_process");

    private static final Pattern PARAM = Pattern.compile("^-- param (\\w+) (\\w+(?:\\([^)]*\\))?)(?: = (\\S+))?.*$");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String fileName;
    private volatile Loaded loaded;

    AnalysisQuery(String fileName) {
        this.fileName = fileName;
    }

    /** A declared parameter; {@code defaultValue} is null when the caller must give one. */
    public record Parameter(String name, String type, String defaultValue) {
    }

    private record Loaded(String text, String description, List<Parameter> parameters) {
    }

    /** The file name without {@code .sql}, e.g. {@code failure_pareto}. */
    public String fileName() {
        return fileName;
    }

    public static AnalysisQuery byName(String name) {
        for (AnalysisQuery q : values()) {
            if (q.fileName.equals(name) || q.name().equalsIgnoreCase(name)) {
                return q;
            }
        }
        throw new IllegalArgumentException("no analysis query " + name + "; known: "
                + java.util.Arrays.stream(values()).map(AnalysisQuery::fileName).toList());
    }

    public String description() {
        return load().description();
    }

    public List<Parameter> parameters() {
        return load().parameters();
    }

    /** The statement for {@code database}. */
    public String sql(String database) {
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        return load().text().replace("${db}", database);
    }

    /** Defaults filled in; fails naming the parameter when a required one is missing or unknown. */
    public Map<String, String> bind(Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (parameters().stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException(fileName + " has no parameter " + name + "; it takes "
                        + parameters().stream().map(Parameter::name).toList());
            }
        }
        for (Parameter p : parameters()) {
            String v = given.getOrDefault(p.name(), p.defaultValue());
            if (v == null) {
                throw new IllegalArgumentException(fileName + " needs parameter " + p.name() + " (" + p.type() + ")");
            }
            out.put(p.name(), v);
        }
        return out;
    }

    public QueryResult run(Engine engine, String database, Map<String, String> params) {
        return engine.rows(sql(database), bind(params));
    }

    private Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            l = read();
            loaded = l;
        }
        return l;
    }

    private Loaded read() {
        String text;
        try (InputStream in = AnalysisQuery.class.getResourceAsStream("/io/entrenar/sink/sql/" + fileName + ".sql")) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + fileName + ".sql");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Parameter> params = new ArrayList<>();
        StringBuilder description = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            Matcher m = PARAM.matcher(line);
            if (m.matches()) {
                String def = m.group(3);
                params.add(new Parameter(m.group(1), m.group(2), "\"\"".equals(def) ? "" : def));
            } else {
                description.append(description.isEmpty() ? "" : " ").append(line.substring(2).strip());
            }
        }
        return new Loaded(text.strip(), description.toString(), List.copyOf(params));
    }
}
