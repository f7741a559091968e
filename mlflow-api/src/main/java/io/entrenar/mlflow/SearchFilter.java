package io.entrenar.mlflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * MLflow's search grammar over runs: {@code filter} is clauses joined by AND, each
 * {@code <entity>.<key> <comparator> <value>} with entity metrics, params, tags or attributes (and
 * MLflow's aliases), keys quoted with back-quotes or double quotes when they hold spaces or dots,
 * comparators {@code = != < <= > >=} (numbers, for metrics and numeric attributes),
 * {@code LIKE ILIKE} (strings; {@code %} and {@code _}), {@code IN} and {@code NOT IN} (lists), and
 * {@code IS NULL} / {@code IS NOT NULL}. {@code order_by} is {@code <entity>.<key> [ASC|DESC]}.
 * A malformed expression fails with INVALID_PARAMETER_VALUE saying where.
 */
final class SearchFilter {

    private SearchFilter() {
    }

    /** The predicate of {@code filter} (blank: every run). */
    static Predicate<RunRecord> parse(String filter) {
        return parse(filter, java.util.Map.of());
    }

    /**
     * The predicate of an experiments filter, over an experiment shown as a run: its {@code name}
     * is the run name, {@code creation_time} the start, {@code last_update_time} the end.
     */
    static Predicate<RunRecord> parseExperiments(String filter) {
        return parse(filter, java.util.Map.of("name", "run_name", "creation_time", "start_time", "last_update_time", "end_time",
                "experiment_id", "experiment_id"));
    }

    private static Predicate<RunRecord> parse(String filter, java.util.Map<String, String> attributeAliases) {
        if (filter == null || filter.isBlank()) {
            return r -> true;
        }
        Lexer lx = new Lexer(filter, attributeAliases);
        Predicate<RunRecord> all = clause(lx);
        while (!lx.atEnd()) {
            lx.keyword("AND");
            all = all.and(clause(lx));
        }
        return all;
    }

    /** The order of {@code order_by} clauses, then start time (newest first) and run id, as MLflow sorts. */
    static Comparator<RunRecord> order(List<String> orderBy) {
        Comparator<RunRecord> c = null;
        for (String clause : orderBy) {
            Lexer lx = new Lexer(clause, java.util.Map.of());
            Field f = field(lx);
            boolean asc = true;
            if (!lx.atEnd()) {
                String dir = lx.word().toUpperCase(Locale.ROOT);
                if (!dir.equals("ASC") && !dir.equals("DESC")) {
                    throw MlflowException.invalid("Invalid order_by clause '" + clause + "': expected ASC or DESC after the key");
                }
                asc = dir.equals("ASC");
            }
            if (!lx.atEnd()) {
                throw MlflowException.invalid("Invalid order_by clause '" + clause + "': unexpected text at position " + lx.pos);
            }
            Comparator<RunRecord> one = byField(f, asc);
            c = c == null ? one : c.thenComparing(one);
        }
        Comparator<RunRecord> tail = Comparator.comparingLong(RunRecord::startTime).reversed().thenComparing(RunRecord::runId);
        return c == null ? tail : c.thenComparing(tail);
    }

    private enum Entity { METRIC, PARAM, TAG, ATTRIBUTE, DATASET }

    private record Field(Entity entity, String key) {
        Object value(RunRecord r) {
            return switch (entity) {
                case METRIC -> r.metric(key);
                case PARAM -> r.params().get(key);
                case TAG -> r.tags().get(key);
                case DATASET -> null;
                case ATTRIBUTE -> switch (key) {
                    case "run_id", "run_uuid" -> r.runId();
                    case "run_name" -> r.displayName();
                    case "status" -> r.status();
                    case "user_id" -> r.userId();
                    case "start_time" -> (double) r.startTime();
                    case "end_time" -> r.endTime() == null ? null : (double) r.endTime();
                    case "artifact_uri" -> Artifacts.runUri(r.experimentId(), r.runId());
                    case "lifecycle_stage" -> r.lifecycleStage();
                    case "experiment_id" -> r.experimentId();
                    default -> throw new IllegalStateException(key);
                };
            };
        }

        boolean numeric() {
            return entity == Entity.METRIC || entity == Entity.ATTRIBUTE && (key.equals("start_time") || key.equals("end_time"));
        }
    }

    private static Comparator<RunRecord> byField(Field f, boolean asc) {
        // runs without the key sort last either way, as in MLflow
        return (a, b) -> {
            Object x = f.value(a);
            Object y = f.value(b);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : 1) : -1;
            }
            int cmp = x instanceof Double dx && y instanceof Double dy ? Double.compare(dx, dy) : x.toString().compareTo(y.toString());
            return asc ? cmp : -cmp;
        };
    }

    private static final List<String> ATTRIBUTES = List.of("run_id", "run_uuid", "run_name", "status", "user_id", "start_time",
            "end_time", "artifact_uri", "lifecycle_stage", "experiment_id");

    private static Field field(Lexer lx) {
        String first = lx.identifier();
        Entity entity;
        String key;
        if (lx.peek('.')) {
            lx.pos++;
            entity = switch (first.toLowerCase(Locale.ROOT)) {
                case "metric", "metrics" -> Entity.METRIC;
                case "param", "params", "parameter", "parameters" -> Entity.PARAM;
                case "tag", "tags" -> Entity.TAG;
                case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
                case "dataset", "datasets" -> Entity.DATASET;
                default -> throw MlflowException.invalid("Invalid entity type '" + first + "'. Valid values are "
                        + "['metric', 'parameter', 'tag', 'attribute', 'dataset']");
            };
            key = lx.identifier();
        } else {
            entity = Entity.ATTRIBUTE;
            key = first;
        }
        if (entity == Entity.ATTRIBUTE) {
            key = key.equals("run_uuid") ? "run_id" : key;
            if (!lx.aliases.isEmpty()) {
                String alias = lx.aliases.get(key);
                if (alias == null) {
                    throw MlflowException.invalid("Invalid attribute key '" + key + "' specified. Valid keys are " + lx.aliases.keySet());
                }
                key = alias;
            } else if (!ATTRIBUTES.contains(key)) {
                throw MlflowException.invalid("Invalid attribute key '" + key + "' specified. Valid keys are " + ATTRIBUTES);
            }
        }
        if (entity == Entity.DATASET) {
            throw MlflowException.invalid("Searching by dataset ('" + first + "." + key + "') is not supported by this server");
        }
        return new Field(entity, key);
    }

    private static Predicate<RunRecord> clause(Lexer lx) {
        Field f = field(lx);
        String op = lx.comparator();
        switch (op) {
            case "IS NULL" -> {
                return r -> f.value(r) == null;
            }
            case "IS NOT NULL" -> {
                return r -> f.value(r) != null;
            }
            case "IN", "NOT IN" -> {
                List<String> values = lx.list();
                boolean in = op.equals("IN");
                return r -> {
                    Object v = f.value(r);
                    return v != null && values.contains(v.toString()) == in;
                };
            }
            default -> {
            }
        }
        if (f.numeric()) {
            if (op.equals("LIKE") || op.equals("ILIKE")) {
                throw MlflowException.invalid("Invalid comparator '" + op + "' for a numeric key: use = != < <= > >=");
            }
            double want = lx.number();
            return r -> {
                Object v = f.value(r);
                if (v == null) {
                    return false;
                }
                double d = (Double) v;
                return switch (op) {
                    case "=" -> d == want;
                    case "!=" -> d != want;
                    case ">" -> d > want;
                    case ">=" -> d >= want;
                    case "<" -> d < want;
                    case "<=" -> d <= want;
                    default -> throw new IllegalStateException(op);
                };
            };
        }
        String want = lx.string();
        switch (op) {
            case "=", "!=", "LIKE", "ILIKE" -> {
            }
            default -> throw MlflowException.invalid("Invalid comparator '" + op + "' for a string key ("
                    + f.entity().name().toLowerCase(Locale.ROOT) + "s." + f.key() + "): use = != LIKE ILIKE IN");
        }
        Pattern like = op.equals("LIKE") || op.equals("ILIKE") ? likePattern(want, op.equals("ILIKE")) : null;
        return r -> {
            Object v = f.value(r);
            if (v == null) {
                return false;
            }
            String s = v.toString();
            return switch (op) {
                case "=" -> s.equals(want);
                case "!=" -> !s.equals(want);
                default -> like.matcher(s).matches();
            };
        };
    }

    private static Pattern likePattern(String like, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char ch : like.toCharArray()) {
            switch (ch) {
                case '%' -> re.append(".*");
                case '_' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    /** Characters of one expression, read left to right; each read skips the blanks before it. */
    private static final class Lexer {
        private final String s;
        /** Attribute names of the entity searched (experiments) onto the run attributes they stand for; empty for runs. */
        final java.util.Map<String, String> aliases;
        int pos;

        Lexer(String s, java.util.Map<String, String> aliases) {
            this.s = s;
            this.aliases = aliases;
        }

        boolean atEnd() {
            skip();
            return pos >= s.length();
        }

        boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private MlflowException error(String what) {
            return MlflowException.invalid("Invalid search expression '" + s + "': " + what + " at position " + pos);
        }

        /** A bare word of letters, digits, _ and - ; or a back-quoted / double-quoted key. */
        String identifier() {
            skip();
            if (pos < s.length() && (s.charAt(pos) == '`' || s.charAt(pos) == '"')) {
                return quoted(s.charAt(pos));
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '-'
                    || s.charAt(pos) == ':' || s.charAt(pos) == '/')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a key");
            }
            return s.substring(start, pos);
        }

        String word() {
            skip();
            int start = pos;
            while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a word");
            }
            return s.substring(start, pos);
        }

        void keyword(String k) {
            int at = pos;
            String w = word();
            if (!w.equalsIgnoreCase(k)) {
                pos = at;
                throw error("expected " + k + " between clauses (MLflow's search supports AND only)");
            }
        }

        String comparator() {
            skip();
            for (String op : new String[] {"!=", ">=", "<=", "=", ">", "<"}) {
                if (s.startsWith(op, pos)) {
                    pos += op.length();
                    return op;
                }
            }
            int at = pos;
            String w = word().toUpperCase(Locale.ROOT);
            switch (w) {
                case "LIKE", "ILIKE", "IN" -> {
                    return w;
                }
                case "NOT" -> {
                    keyword("IN");
                    return "NOT IN";
                }
                case "IS" -> {
                    int here = pos;
                    String next = word().toUpperCase(Locale.ROOT);
                    if (next.equals("NULL")) {
                        return "IS NULL";
                    }
                    if (next.equals("NOT")) {
                        keyword("NULL");
                        return "IS NOT NULL";
                    }
                    pos = here;
                    throw error("expected NULL or NOT NULL after IS");
                }
                default -> {
                    pos = at;
                    throw error("expected a comparator (= != < <= > >= LIKE ILIKE IN NOT IN IS NULL)");
                }
            }
        }

        String quoted(char quote) {
            int start = ++pos;
            StringBuilder b = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                if (s.charAt(pos) == '\\' && pos + 1 < s.length()) {
                    pos++;
                }
                b.append(s.charAt(pos++));
            }
            if (pos >= s.length()) {
                pos = start - 1;
                throw error("unterminated " + quote + "-quoted text");
            }
            pos++;
            return b.toString();
        }

        String string() {
            skip();
            if (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) {
                return quoted(s.charAt(pos));
            }
            throw error("expected a quoted string value");
        }

        double number() {
            skip();
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            try {
                return Double.parseDouble(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("expected a number");
            }
        }

        List<String> list() {
            skip();
            if (!peek('(')) {
                throw error("expected a parenthesised list of values");
            }
            pos++;
            List<String> out = new ArrayList<>();
            while (true) {
                out.add(string());
                skip();
                if (peek(',')) {
                    pos++;
                } else if (peek(')')) {
                    pos++;
                    return out;
                } else {
                    throw error("expected , or ) in the list");
                }
            }
        }
    }
}
