package io.entrenar.ops;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses what a web page could make the user's browser send to one of our HTTP surfaces. A page
 * can make the browser send requests to 127.0.0.1 (cross-site request forgery), or rebind its own
 * DNS name to 127.0.0.1 (then the request carries the page's name in {@code Host}). So a request
 * is refused with 403 before any handler runs when its {@code Host} is not a name of the surface,
 * when it carries an {@code Origin} other than the surface itself or a configured one, or when the
 * browser marks it cross-site ({@code Sec-Fetch-Site}). Programs (curl, Kafka clients, JDBC,
 * Prometheus) send none of these and pass. Installed on every context of every server we run:
 * {@link #install(HttpServer, List, List, HttpContext...)}.
 */
public final class BrowserGuard extends Filter {

    private final Set<String> hosts = new HashSet<>();
    private final boolean anyHost;
    private final Set<String> origins = new HashSet<>();

    /**
     * @param boundHost      the address the surface listens on
     * @param extraHosts     further names clients may put in {@code Host}
     * @param allowedOrigins web origins ({@code scheme://host:port}) whose pages may call the surface
     */
    public BrowserGuard(String boundHost, List<String> extraHosts, List<String> allowedOrigins) {
        for (String h : List.of("localhost", "127.0.0.1", "::1", boundHost)) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        extraHosts.forEach(h -> hosts.add(h.strip().toLowerCase(Locale.ROOT)));
        // On every interface (containers) the names the surface is reached by are not known here.
        anyHost = boundHost.equals("0.0.0.0") || boundHost.equals("::") || boundHost.equals("0:0:0:0:0:0:0:0");
        allowedOrigins.forEach(o -> origins.add(o.strip().toLowerCase(Locale.ROOT)));
    }

    /** Puts a guard for {@code server}'s address in front of each context. */
    public static BrowserGuard install(HttpServer server, List<String> extraHosts, List<String> allowedOrigins,
                                       HttpContext... contexts) {
        BrowserGuard guard = new BrowserGuard(server.getAddress().getHostString(), extraHosts, allowedOrigins);
        for (HttpContext c : contexts) {
            c.getFilters().add(guard);
        }
        return guard;
    }

    @Override
    public String description() {
        return "refuses requests that browsers send on behalf of other sites";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Headers request = exchange.getRequestHeaders();
        String refusal = refusal(request::getFirst);
        if (refusal != null) {
            try (exchange) {
                byte[] body = (refusal + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
                exchange.sendResponseHeaders(403, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            return;
        }
        String origin = request.getFirst("Origin");
        if (origin != null && origins.contains(origin.toLowerCase(Locale.ROOT))) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            exchange.getResponseHeaders().set("Vary", "Origin");
            if (exchange.getRequestMethod().equals("OPTIONS")) {
                try (exchange) {
                    exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST");
                    exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Authorization, Content-Type, "
                            + "X-ClickHouse-User, X-ClickHouse-Key, X-ClickHouse-Format, X-ClickHouse-Database");
                    exchange.sendResponseHeaders(204, -1);
                }
                return;
            }
        }
        chain.doFilter(exchange);
    }

    /** Why the request is refused, or null when it may go on; {@code header} looks up a request header. */
    public String refusal(java.util.function.Function<String, String> header) {
        String host = header.apply("Host");
        if (host != null && !anyHost && !hosts.contains(hostName(host))) {
            return "Forbidden: Host '" + host + "' is not a name of this server (a page that rebound its DNS name?)";
        }
        String origin = header.apply("Origin");
        if (origin != null) {
            String o = origin.toLowerCase(Locale.ROOT);
            if (origins.contains(o) || host != null && sameOrigin(o, host.toLowerCase(Locale.ROOT))) {
                return null;
            }
            return "Forbidden: requests from web pages at " + origin + " are not allowed";
        }
        String site = header.apply("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "Forbidden: the browser marks this request " + site;
        }
        return null;
    }

    /** Whether {@code origin} ({@code http://host:port}) is the server the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        try {
            URI u = URI.create(origin);
            return u.getRawAuthority() != null && u.getRawAuthority().equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code name:port}, {@code [v6]:port} or a bare name → the lower-case name, v6 without brackets. */
    static String hostName(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(1, close);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
