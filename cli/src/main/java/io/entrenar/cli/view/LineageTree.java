package io.entrenar.cli.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.entrenar.sink.engine.Engine;
import io.entrenar.sink.engine.QueryResult;
import io.entrenar.sink.sql.AnalysisQuery;

/**
 * The lineage DAG around one run (spec 6) as two trees: what it derives from (parents, their
 * parents, ...) and what derives from it. A run reached twice (a diamond in the DAG) is printed
 * in full once and marked {@code (see above)} after that, so the output stays finite on any graph.
 */
public final class LineageTree {
    private static final String EDGES = """
            SELECT child_run_id, parent_run_id, toString(role) AS role
            FROM %1$s.lineage_edges FINAL
            WHERE child_run_id IN {runs:Array(String)} OR parent_run_id IN {runs:Array(String)}
            ORDER BY child_run_id, parent_run_id, role
            """;
    private static final String RUNS = """
            SELECT run_id, run_name, status FROM %1$s.runs WHERE run_id IN {runs:Array(String)}
            """;

    private LineageTree() {
    }

    /** A lineage edge: {@code child} was made from {@code parent} in {@code role}. */
    public record Edge(String child, String parent, String role) {
    }

    /** A run's label parts; name and status are null for runs the runs table does not know (yet). */
    public record RunLabel(String runId, String name, String status) {
    }

    /** Everything the tree needs. */
    public record Graph(String root, List<Edge> edges, Map<String, RunLabel> runs) {
    }

    public static Graph query(Engine engine, String database, String runId) {
        String db = Database.checked(database);
        Set<String> ids = new LinkedHashSet<>();
        ids.add(runId);
        for (AnalysisQuery q : new AnalysisQuery[] {AnalysisQuery.LINEAGE_ANCESTORS, AnalysisQuery.LINEAGE_DESCENDANTS}) {
            QueryResult r = q.run(engine, db, Map.of("run_id", runId));
            for (int i = 0; i < r.size(); i++) {
                ids.add(r.get(i, "run_id"));
            }
        }
        String array = arrayLiteral(ids);
        QueryResult e = engine.rows(String.format(EDGES, db), Map.of("runs", array));
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            String child = e.get(i, "child_run_id");
            String parent = e.get(i, "parent_run_id");
            if (ids.contains(child) && ids.contains(parent)) {
                edges.add(new Edge(child, parent, e.get(i, "role")));
            }
        }
        QueryResult r = engine.rows(String.format(RUNS, db), Map.of("runs", array));
        Map<String, RunLabel> runs = new HashMap<>();
        for (int i = 0; i < r.size(); i++) {
            runs.put(r.get(i, "run_id"), new RunLabel(r.get(i, "run_id"), r.get(i, "run_name"), r.get(i, "status")));
        }
        return new Graph(runId, edges, runs);
    }

    public static String render(Graph graph, Glyphs g) {
        StringBuilder out = new StringBuilder();
        out.append(label(graph.root(), null, graph, g)).append('\n');
        Map<String, List<Edge>> parents = new HashMap<>();
        Map<String, List<Edge>> children = new HashMap<>();
        for (Edge e : graph.edges()) {
            parents.computeIfAbsent(e.child(), k -> new ArrayList<>()).add(e);
            children.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e);
        }
        List<Edge> up = parents.getOrDefault(graph.root(), List.of());
        List<Edge> down = children.getOrDefault(graph.root(), List.of());
        out.append(g.treeBranch()).append("derived from").append(up.isEmpty() ? ": nothing" : "").append('\n');
        walk(out, graph, up, parents, true, g.treePipe(), new HashSet<>(Set.of(graph.root())), g);
        out.append(g.treeLast()).append("derived runs").append(down.isEmpty() ? ": none" : "").append('\n');
        walk(out, graph, down, children, false, g.treeSpace(), new HashSet<>(Set.of(graph.root())), g);
        return out.toString();
    }

    private static void walk(StringBuilder out, Graph graph, List<Edge> edges, Map<String, List<Edge>> next, boolean upward,
                             String prefix, Set<String> seen, Glyphs g) {
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            boolean last = i == edges.size() - 1;
            String run = upward ? e.parent() : e.child();
            boolean first = seen.add(run);
            // Upward the edge's role names what the parent was to us; downward, what we were to the child.
            String text = upward ? label(run, e.role(), graph, g)
                    : label(run, null, graph, g) + " (from this run as " + roleName(e.role()) + ")";
            out.append(prefix).append(last ? g.treeLast() : g.treeBranch()).append(text)
                    .append(first ? "" : " (see above)").append('\n');
            if (first) {
                walk(out, graph, next.getOrDefault(run, List.of()), next, upward, prefix + (last ? g.treeSpace() : g.treePipe()), seen, g);
            }
        }
    }

    private static String label(String runId, String role, Graph graph, Glyphs g) {
        RunLabel l = graph.runs().get(runId);
        String r = role == null ? "" : roleName(role) + ": ";
        return r + runId + (l == null ? " (not in the runs table)"
                : (l.name() == null ? "" : "  " + l.name()) + "  [" + RunsTable.statusMark(l.status(), g) + "]");
    }

    private static String roleName(String role) {
        return role.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** A ClickHouse Array(String) parameter value: {@code ['a','b']} with quotes and backslashes escaped. */
    static String arrayLiteral(Set<String> values) {
        StringBuilder s = new StringBuilder("[");
        for (String v : values) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('\'').append(v.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        return s.append(']').toString();
    }
}
