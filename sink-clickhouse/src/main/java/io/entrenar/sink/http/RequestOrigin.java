package io.entrenar.sink.http;

import com.sun.net.httpserver.Headers;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may send a request, judged by what browsers add to it. A web page the user opens can make
 * the browser send requests to 127.0.0.1 (cross-site request forgery), or rebind its own DNS name
 * to 127.0.0.1 (then the request carries the page's name in {@code Host}). Non-browser clients
 * (curl, clickhouse-jdbc) send neither {@code Origin} nor {@code Sec-Fetch-Site}, and a
 * {@code Host} naming the endpoint, so they pass.
 */
final class RequestOrigin {

    private final Set<String> hosts = new HashSet<>();
    private final boolean anyHost;
    private final Set<String> origins = new HashSet<>();

    /**
     * @param boundHost      the address the endpoint listens on
     * @param extraHosts     further names clients may use in {@code Host}
     * @param allowedOrigins web origins ({@code scheme://host:port}) whose pages may query
     */
    RequestOrigin(String boundHost, List<String> extraHosts, List<String> allowedOrigins) {
        for (String h : List.of("localhost", "127.0.0.1", "::1", boundHost)) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        extraHosts.forEach(h -> hosts.add(h.strip().toLowerCase(Locale.ROOT)));
        // Listening on every interface: the names it is reached by are not known here; a password is required then.
        anyHost = boundHost.equals("0.0.0.0") || boundHost.equals("::") || boundHost.equals("0:0:0:0:0:0:0:0");
        allowedOrigins.forEach(o -> origins.add(o.strip().toLowerCase(Locale.ROOT)));
    }

    /** Why the request is refused, or null when it may go on. */
    String refusal(Headers request) {
        String host = request.getFirst("Host");
        if (host != null && !anyHost && !hosts.contains(hostName(host))) {
            return "Forbidden: Host '" + host + "' is not a name of this endpoint (http.allowed.hosts)";
        }
        String origin = request.getFirst("Origin");
        if (origin != null && !origin.equals("null") && origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (origin != null) {
            return "Forbidden: requests from web pages at " + origin + " are not allowed (http.allowed.origins)";
        }
        String site = request.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "Forbidden: the browser marks this request " + site + " (http.allowed.origins)";
        }
        return null;
    }

    /** Lets an allowed origin's page read the answer (CORS); nothing for anyone else. */
    void allowCors(Headers request, Headers response) {
        String origin = request.getFirst("Origin");
        if (origin != null && origins.contains(origin.toLowerCase(Locale.ROOT))) {
            response.set("Access-Control-Allow-Origin", origin);
            response.set("Vary", "Origin");
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
