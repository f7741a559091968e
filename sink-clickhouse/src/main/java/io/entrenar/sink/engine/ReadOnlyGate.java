package io.entrenar.sink.engine;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides with the engine's own parser whether a statement from outside only reads, and gives the
 * text to run: the engine's canonical rendering of it ({@code formatQuery}: one statement, no
 * comments, nothing after it), to which the {@link Reader} appends {@code SETTINGS readonly = 1}
 * and the limits. The engine's {@code readonly = 1} is what stops writes, DDL and table functions
 * that reach out; this gate closes what {@code readonly = 1} leaves open in chDB, reading the
 * statement's syntax tree ({@code EXPLAIN AST}, one node per line, indented by depth):
 * <ul>
 *   <li>the statement must be a SELECT (with UNION/INTERSECT/EXCEPT), SHOW, DESCRIBE, EXISTS or
 *       an EXPLAIN of one of those;
 *   <li>no {@code SETTINGS} anywhere ({@code Set} nodes): a subquery's own settings override the
 *       outer {@code readonly = 1} in chDB (checked: {@code SELECT * FROM (SELECT * FROM file(...)
 *       SETTINGS readonly = 0) SETTINGS readonly = 1} reads the file);
 *   <li>no {@code INTO OUTFILE} (a literal right under the statement): chDB writes that file on
 *       the client side, whatever {@code readonly} says;
 *   <li>no function named like a table function outside a short list of generators
 *       ({@code numbers}, {@code values}, {@code view}, ...), and not the scalar {@code file()},
 *       which chDB lets read any local file, {@code readonly} or not.
 * </ul>
 * A text filter over the raw query was what failed before: here every decision is taken on what
 * the engine parsed. Verdicts are cached by statement and parameters (parameters can name
 * identifiers, so they are part of what was parsed).
 */
final class ReadOnlyGate {

    static final int READONLY = 164;
    static final int ACCESS_DENIED = 497;

    /** Table functions that only generate rows or read the store's own tables. */
    static final Set<String> GENERATORS = Set.of("numbers", "numbers_mt", "zeros", "zeros_mt", "generate_series",
            "generateseries", "values", "view", "merge", "generaterandom", "primes", "null",
            // also the scalar format('{} {}', a, b); the table function format() is refused by readonly = 1
            "format");
    /** Scalar functions that reach the file system whatever readonly says. */
    static final Set<String> SCALARS_THAT_READ_FILES = Set.of("file", "catboostevaluate");

    private static final Set<String> READ_ROOTS = Set.of("SelectWithUnionQuery", "SelectIntersectExceptQuery",
            "DescribeQuery");
    private static final int CACHE_SIZE = 1024;

    private final ChdbEngine engine;
    private final Set<String> refusedFunctions;
    private final Map<Key, Checked> verdicts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Checked> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    ReadOnlyGate(ChdbEngine engine) {
        this.engine = engine;
        Set<String> refused = new HashSet<>(SCALARS_THAT_READ_FILES);
        for (String name : new String(engine.query("SELECT name FROM system.table_functions", Map.of(), "TSVRaw"),
                StandardCharsets.UTF_8).split("\n")) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (!lower.isEmpty() && !GENERATORS.contains(lower)) {
                refused.add(lower);
            }
        }
        this.refusedFunctions = Set.copyOf(refused);
    }

    private record Key(String sql, Map<String, String> params) {
    }

    /**
     * A statement that may run as a read.
     *
     * @param canonical  the engine's rendering of it
     * @param streamable whether the engine can stream its output (a SELECT); SHOW, DESCRIBE,
     *                   EXISTS and EXPLAIN answer in one piece
     */
    record Checked(String canonical, boolean streamable) {
    }

    /** The statement to run as a read, or a ClickHouseException naming why not. */
    Checked check(String sql, Map<String, String> params) {
        Key key = new Key(sql, Map.copyOf(params));
        synchronized (verdicts) {
            Checked known = verdicts.get(key);
            if (known != null) {
                return known;
            }
        }
        String canonical = new String(engine.query("SELECT formatQuery({q:String})", Map.of("q", sql), "TSVRaw"),
                StandardCharsets.UTF_8).strip();
        String ast = new String(engine.query("EXPLAIN AST " + canonical, params, "TSVRaw"), StandardCharsets.UTF_8);
        String root = inspect(ast);
        Checked checked = new Checked(canonical, root.startsWith("Select"));
        synchronized (verdicts) {
            verdicts.put(key, checked);
        }
        return checked;
    }

    /** The type of the statement; throws unless every node of the tree is one a read may have. */
    String inspect(String ast) {
        String[] lines = ast.split("\n");
        String root = nodeType(lines[0]);
        if (!readRoot(root) && !root.equals("Explain")) {
            throw refused(READONLY, "Cannot execute query in readonly mode: " + root.replace("Query", "")
                    + " is not a read; this endpoint runs SELECT, SHOW, DESCRIBE, EXISTS and EXPLAIN only", "READONLY");
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int depth = depth(line);
            String type = nodeType(line);
            if (type.equals("Set")) {
                throw refused(READONLY, "Cannot modify settings in readonly mode: SETTINGS clauses are not accepted here; "
                        + "the server sets the limits of every query", "READONLY");
            }
            if (depth == 1 && type.equals("Literal")) {
                throw refused(READONLY, "Cannot execute query in readonly mode: INTO OUTFILE writes a file", "READONLY");
            }
            if (depth == 1 && root.equals("Explain") && !readRoot(type)) {
                throw refused(READONLY, "Cannot execute query in readonly mode: EXPLAIN of " + type.replace("Query", "")
                        + " is not a read", "READONLY");
            }
            if (type.equals("Function")) {
                String name = functionName(line);
                if (refusedFunctions.contains(name.toLowerCase(Locale.ROOT))) {
                    throw refused(ACCESS_DENIED, "Not enough privileges: function " + name + " reaches files, URLs, "
                            + "processes or other servers, which readers may not", "ACCESS_DENIED");
                }
            }
        }
        return root;
    }

    private static boolean readRoot(String type) {
        return READ_ROOTS.contains(type) || type.startsWith("Show") || type.startsWith("Exists");
    }

    private static int depth(String line) {
        int d = 0;
        while (d < line.length() && line.charAt(d) == ' ') {
            d++;
        }
        return d;
    }

    private static String nodeType(String line) {
        String s = line.strip();
        int end = 0;
        while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end);
    }

    /** {@code Function name (alias a) (children n)} → {@code name}. */
    private static String functionName(String line) {
        String s = line.strip().substring("Function".length()).strip();
        int end = s.indexOf(' ');
        return end < 0 ? s : s.substring(0, end);
    }

    private static ClickHouseException refused(int code, String message, String name) {
        return new ClickHouseException(code, "Code: " + code + ". DB::Exception: " + message + ". (" + name + ")");
    }
}
