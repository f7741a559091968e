package io.entrenar.alerting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrenar.alerting.Routing.BreakerPolicy;
import io.entrenar.alerting.Routing.Channel;
import io.entrenar.alerting.Routing.ChannelType;
import io.entrenar.alerting.Routing.Match;
import io.entrenar.alerting.Routing.RateLimit;
import io.entrenar.alerting.Routing.RetryPolicy;
import io.entrenar.alerting.Routing.Route;
import io.entrenar.config.DidYouMean;
import io.entrenar.events.Severity;

/**
 * Reads and validates the routing file (README "Alerting"). Every mistake is reported with its
 * file, line and path before the app starts; unknown keys get a suggestion.
 */
final class RoutingLoader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final YamlDocument doc;
    private final Function<String, String> env;

    private RoutingLoader(YamlDocument doc, Function<String, String> env) {
        this.doc = doc;
        this.env = env;
    }

    static Routing load(Path file) {
        return new RoutingLoader(YamlDocument.load(file), System::getenv).routing();
    }

    static Routing parse(String source, String yaml, Function<String, String> env) {
        return new RoutingLoader(YamlDocument.parse(source, yaml), env).routing();
    }

    private Routing routing() {
        JsonNode root = doc.root();
        requireObject(root, "(top level)");
        onlyKeys(root, "(top level)", "channels", "routes");
        JsonNode channelsNode = root.get("channels");
        if (channelsNode == null || !channelsNode.isObject() || channelsNode.isEmpty()) {
            throw doc.error(channelsNode == null ? root : channelsNode, "channels", "define at least one channel");
        }
        Map<String, Channel> channels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = channelsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            channels.put(e.getKey(), channel(e.getKey(), e.getValue()));
        }
        JsonNode routesNode = root.get("routes");
        if (routesNode == null || !routesNode.isArray() || routesNode.isEmpty()) {
            throw doc.error(routesNode == null ? root : routesNode, "routes", "define at least one route (a list)");
        }
        List<Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < routesNode.size(); i++) {
            Route route = route("routes[" + i + "]", routesNode.get(i), channels.keySet());
            if (!names.add(route.name())) {
                throw doc.error(routesNode.get(i).get("name"), "routes[" + i + "].name", "duplicate route name '" + route.name() + "'");
            }
            routes.add(route);
        }
        return new Routing(Map.copyOf(channels), List.copyOf(routes));
    }

    private Channel channel(String name, JsonNode node) {
        String path = "channels." + name;
        requireObject(node, path);
        onlyKeys(node, path, "type", "url", "secret", "secret_env", "timeout", "retry", "rate_limit", "circuit_breaker");
        ChannelType type = enumValue(node, "type", path + ".type", ChannelType.class);
        String url = text(node, "url", path + ".url", type != ChannelType.STDERR);
        if (url != null) {
            try {
                URI uri = URI.create(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not http(s)");
                }
            } catch (IllegalArgumentException e) {
                throw doc.error(node.get("url"), path + ".url", "'" + url + "' is not an http(s) URL");
            }
        }
        String secret = text(node, "secret", path + ".secret", false);
        String secretEnv = text(node, "secret_env", path + ".secret_env", false);
        if (secret != null && secretEnv != null) {
            throw doc.error(node.get("secret_env"), path, "set secret or secret_env, not both");
        }
        if (secretEnv != null) {
            secret = env.apply(secretEnv);
            if (secret == null || secret.isEmpty()) {
                throw doc.error(node.get("secret_env"), path + ".secret_env", "environment variable " + secretEnv + " is not set");
            }
        }
        Duration timeout = duration(node.get("timeout"), path + ".timeout", DEFAULT_TIMEOUT);
        return new Channel(name, type, url, secret, timeout, retry(node.get("retry"), path + ".retry"),
                rateLimit(node.get("rate_limit"), path + ".rate_limit"), breaker(node.get("circuit_breaker"), path + ".circuit_breaker"));
    }

    private RetryPolicy retry(JsonNode node, String path) {
        if (node == null) {
            return RetryPolicy.DEFAULT;
        }
        requireObject(node, path);
        onlyKeys(node, path, "max_attempts", "initial_backoff", "max_backoff", "multiplier", "jitter", "max_elapsed");
        RetryPolicy d = RetryPolicy.DEFAULT;
        int attempts = (int) number(node.get("max_attempts"), path + ".max_attempts", d.maxAttempts(), 1, 1000);
        Duration initial = duration(node.get("initial_backoff"), path + ".initial_backoff", d.initialBackoff());
        Duration max = duration(node.get("max_backoff"), path + ".max_backoff", d.maxBackoff());
        if (initial.compareTo(max) > 0) {
            throw doc.error(node, path, "initial_backoff (" + initial + ") exceeds max_backoff (" + max + ")");
        }
        double multiplier = number(node.get("multiplier"), path + ".multiplier", d.multiplier(), 1, 10);
        double jitter = number(node.get("jitter"), path + ".jitter", d.jitter(), 0, 1);
        Duration elapsed = duration(node.get("max_elapsed"), path + ".max_elapsed", d.maxElapsed());
        return new RetryPolicy(attempts, initial, max, multiplier, jitter, elapsed);
    }

    private RateLimit rateLimit(JsonNode node, String path) {
        if (node == null) {
            return RateLimit.DEFAULT;
        }
        requireObject(node, path);
        onlyKeys(node, path, "per_second", "burst");
        double perSecond = number(node.get("per_second"), path + ".per_second", RateLimit.DEFAULT.perSecond(), 0.001, 1e6);
        int burst = (int) number(node.get("burst"), path + ".burst", Math.max(1, Math.ceil(perSecond)), 1, 1e6);
        return new RateLimit(perSecond, burst);
    }

    private BreakerPolicy breaker(JsonNode node, String path) {
        if (node == null) {
            return BreakerPolicy.DEFAULT;
        }
        requireObject(node, path);
        onlyKeys(node, path, "failure_threshold", "open_for");
        return new BreakerPolicy((int) number(node.get("failure_threshold"), path + ".failure_threshold",
                BreakerPolicy.DEFAULT.failureThreshold(), 1, 1000),
                duration(node.get("open_for"), path + ".open_for", BreakerPolicy.DEFAULT.openFor()));
    }

    private Route route(String path, JsonNode node, Set<String> channelNames) {
        requireObject(node, path);
        onlyKeys(node, path, "name", "match", "channels");
        String name = text(node, "name", path + ".name", true);
        JsonNode matchNode = node.get("match");
        Match match = new Match(Set.of(), Set.of(), Set.of(), Map.of());
        if (matchNode != null) {
            requireObject(matchNode, path + ".match");
            onlyKeys(matchNode, path + ".match", "severity", "rule", "experiment", "tags");
            Set<String> severities = strings(matchNode.get("severity"), path + ".match.severity");
            Set<String> known = new LinkedHashSet<>(Arrays.stream(Severity.values()).map(Enum::name).toList());
            for (String s : severities) {
                if (!known.contains(s)) {
                    throw doc.error(matchNode.get("severity"), path + ".match.severity", "unknown severity '" + s + "'"
                            + DidYouMean.suggest(s, known));
                }
            }
            Map<String, String> tags = new LinkedHashMap<>();
            JsonNode tagsNode = matchNode.get("tags");
            if (tagsNode != null) {
                requireObject(tagsNode, path + ".match.tags");
                tagsNode.fields().forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
            }
            match = new Match(severities, strings(matchNode.get("rule"), path + ".match.rule"),
                    strings(matchNode.get("experiment"), path + ".match.experiment"), Map.copyOf(tags));
        }
        JsonNode channelsNode = node.get("channels");
        Set<String> channels = strings(channelsNode, path + ".channels");
        if (channels.isEmpty()) {
            throw doc.error(channelsNode == null ? node : channelsNode, path + ".channels", "name at least one channel");
        }
        for (String c : channels) {
            if (!channelNames.contains(c)) {
                throw doc.error(channelsNode, path + ".channels", "no channel named '" + c + "'" + DidYouMean.suggest(c, channelNames));
            }
        }
        return new Route(name, match, List.copyOf(channels));
    }

    private void requireObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw doc.error(node, path, "expected a mapping of keys to values");
        }
    }

    private void onlyKeys(JsonNode node, String path, String... allowed) {
        Set<String> known = new LinkedHashSet<>(Arrays.asList(allowed));
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw doc.error(node.get(k), path, "unknown key '" + k + "'" + DidYouMean.suggest(k, known));
            }
        });
    }

    /** {@code parent.key} as text; a missing required key is reported at the parent's line. */
    private String text(JsonNode parent, String key, String path, boolean required) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            if (required) {
                throw doc.error(node == null ? parent : node, path, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw doc.error(node, path, "expected non-empty text");
        }
        return node.asText();
    }

    private Set<String> strings(JsonNode node, String path) {
        Set<String> values = new LinkedHashSet<>();
        if (node == null) {
            return values;
        }
        if (node.isTextual()) {
            values.add(node.asText());
            return values;
        }
        if (!node.isArray()) {
            throw doc.error(node, path, "expected a list of text values");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw doc.error(item, path, "expected text, found " + item);
            }
            values.add(item.asText());
        }
        return values;
    }

    private double number(JsonNode node, String path, double fallback, double min, double max) {
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            throw doc.error(node, path, "expected a number from " + fmt(min) + " to " + fmt(max) + ", found " + node);
        }
        return node.asDouble();
    }

    private Duration duration(JsonNode node, String path, Duration fallback) {
        if (node == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(node.asText().trim());
        if (!node.isTextual() || !m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw doc.error(node, path, "expected a positive duration such as 250ms, 5s, 2m or 1h, found " + node);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private <E extends Enum<E>> E enumValue(JsonNode parent, String key, String path, Class<E> type) {
        String value = text(parent, key, path, true);
        JsonNode node = parent.get(key);
        Set<String> names = new LinkedHashSet<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        if (!names.contains(value)) {
            throw doc.error(node, path, "unknown value '" + value + "'" + DidYouMean.suggest(value, names));
        }
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
