package io.entrenar.ops.http;

import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.entrenar.ops.BrowserGuard;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP service on Jetty: routes by method and path, one body limit, the {@link BrowserGuard}
 * in front of every route, and one place where a route's exception becomes a reply. Routes are
 * plain blocking code on Jetty's thread pool; keep-alive, timeouts and HTTP parsing are Jetty's.
 *
 * <pre>{@code
 * try (HttpService http = HttpService.builder("mlflow-api", "127.0.0.1", 5000)
 *         .route("GET", "/health", call -> HttpReply.text(200, "ok"))
 *         .start()) { ... }
 * }</pre>
 */
public final class HttpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
    /** How long a stop waits for requests in flight. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_THREADS = 32;

    private final Server server;
    private final ServerConnector connector;
    private final String name;

    private HttpService(Builder b) {
        this.name = b.name;
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4);
        pool.setName(b.name + "-http");
        pool.setDaemon(true);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // 2 cores: one acceptor and one selector are enough and leave the pool to the routes
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        server.addConnector(connector);
        server.setHandler(new Dispatch(List.copyOf(b.routes), b.fallback, b.errors,
                new BrowserGuard(b.host, b.extraHosts, b.allowedOrigins), b.credentials, b.bodyLimit));
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
    }

    /** A service called {@code name} (threads, logs) that will listen on {@code host:port} (0: a free port). */
    public static Builder builder(String name, String host, int port) {
        return new Builder(name, host, port);
    }

    /** The port it listens on (the chosen one when built with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        String host = connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("{}: HTTP server did not stop cleanly: {}", name, e.toString());
        }
    }

    /** @param open answered without the service's credentials (a health probe) */
    private record Entry(String method, String path, boolean prefix, long bodyLimit, boolean open, Route route) {
        /** What follows the prefix when this route takes {@code p}; null when it does not. */
        String match(String p) {
            if (!prefix) {
                return p.equals(path) ? "" : null;
            }
            return p.startsWith(path) ? p.substring(path.length()) : p.equals(path.substring(0, path.length() - 1)) ? "" : null;
        }
    }

    private static final class Dispatch extends Handler.Abstract {
        private final List<Entry> routes;
        private final Route fallback;
        private final Function<Throwable, HttpReply> errors;
        private final BrowserGuard guard;
        private final Credentials credentials;
        private final long bodyLimit;

        Dispatch(List<Entry> routes, Route fallback, Function<Throwable, HttpReply> errors, BrowserGuard guard, Credentials credentials,
                 long bodyLimit) {
            this.routes = routes;
            this.fallback = fallback;
            this.errors = errors;
            this.guard = guard;
            this.credentials = credentials;
            this.bodyLimit = bodyLimit;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            HttpReply reply;
            try {
                reply = answer(request);
            } catch (Throwable t) {
                reply = errors.apply(t);
            }
            boolean hasBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
            if (hasBody && request.getAttribute(HttpCall.BODY_READ) == null) {
                // refused before its body was read (credentials, browser guard, a bad field): the rest of the body
                // may still be on its way, so the connection ends here and the client knows not to reuse it
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            write(reply, response, callback);
            return true;
        }

        private HttpReply answer(Request request) throws Exception {
            String refusal = guard.refusal(h -> request.getHeaders().get(h));
            if (refusal != null) {
                return HttpReply.text(403, refusal + "\n");
            }
            String path = Request.getPathInContext(request);
            boolean pathKnown = false;
            Entry hit = null;
            String hitRest = null;
            for (Entry e : routes) {
                String rest = e.match(path);
                if (rest == null) {
                    continue;
                }
                pathKnown = true;
                if (e.method.equals(request.getMethod()) || e.method.equals("GET") && request.getMethod().equals("HEAD")) {
                    hit = e;
                    hitRest = rest;
                    break;
                }
            }
            if (credentials != null && (hit == null || !hit.open)
                    && !credentials.accept(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                throw new HttpException(401, "authentication required: HTTP basic or a bearer token");
            }
            if (hit != null) {
                return hit.route.handle(new HttpCall(request, path, hitRest, hit.bodyLimit >= 0 ? hit.bodyLimit : bodyLimit));
            }
            if (pathKnown) {
                throw new HttpException(405, request.getMethod() + " is not allowed on " + path);
            }
            return fallback.handle(new HttpCall(request, path, "", bodyLimit));
        }

        private static void write(HttpReply reply, Response response, Callback callback) {
            try {
                response.setStatus(reply.status());
                if (reply.status() == 401) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"entrenar\", charset=\"UTF-8\"");
                }
                if (reply.contentType() != null) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
                }
                reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                if (reply.file() != null) {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(reply.file()));
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        Files.copy(reply.file(), out);
                    }
                    callback.succeeded();
                    return;
                }
                byte[] body = reply.body() == null ? new byte[0] : reply.body();
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
            } catch (Throwable t) {
                callback.failed(t);
            }
        }
    }

    /** Settings of a service; {@link #start()} builds and starts it. */
    public static final class Builder {
        private final String name;
        private final String host;
        private final int port;
        private final List<Entry> routes = new ArrayList<>();
        private Route fallback = call -> HttpReply.text(404, "no such endpoint: " + call.path() + "\n");
        private Function<Throwable, HttpReply> errors = Builder::defaultError;
        private long bodyLimit = 1 << 20;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private List<String> extraHosts = List.of();
        private List<String> allowedOrigins = List.of();
        private Credentials credentials;

        private Builder(String name, String host, int port) {
            this.name = Objects.requireNonNull(name, "name");
            this.host = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + ": port " + port + " is not 0..65535");
            }
            this.port = port;
        }

        /** Answers {@code method} on {@code path}, or on every path under it when it ends in {@code /*}. */
        public Builder route(String method, String path, Route route) {
            return route(method, path, -1, route);
        }

        /** As {@link #route(String, String, Route)} with its own body limit (uploads). */
        public Builder route(String method, String path, long bodyLimit, Route route) {
            return add(method, path, bodyLimit, false, route);
        }

        /** A route answered without the service's {@link #credentials}: a health probe that says nothing else. */
        public Builder openRoute(String method, String path, Route route) {
            return add(method, path, -1, true, route);
        }

        private Builder add(String method, String path, long bodyLimit, boolean open, Route route) {
            boolean prefix = path.endsWith("/*");
            routes.add(new Entry(method, prefix ? path.substring(0, path.length() - 1) : path, prefix, bodyLimit, open, route));
            return this;
        }

        /** What answers a path no route takes (default: 404 in plain text). */
        public Builder fallback(Route route) {
            this.fallback = Objects.requireNonNull(route);
            return this;
        }

        /** How an exception of a route becomes a reply (default: {@link HttpException}'s status, else 500). */
        public Builder errors(Function<Throwable, HttpReply> mapping) {
            this.errors = Objects.requireNonNull(mapping);
            return this;
        }

        public Builder bodyLimit(long bytes) {
            this.bodyLimit = bytes;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Further names clients may put in {@code Host}, and web origins whose pages may call the service. */
        public Builder browsers(List<String> extraHosts, List<String> allowedOrigins) {
            this.extraHosts = List.copyOf(extraHosts);
            this.allowedOrigins = List.copyOf(allowedOrigins);
            return this;
        }

        /** Every request must carry these credentials (HTTP basic, or a bearer token); null for none. */
        public Builder credentials(Credentials required) {
            this.credentials = required;
            return this;
        }

        public HttpService start() {
            HttpService service = new HttpService(this);
            try {
                service.server.start();
            } catch (Exception e) {
                service.close();
                throw new IllegalStateException(name + ": cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            return service;
        }

        private static HttpReply defaultError(Throwable t) {
            if (t instanceof HttpException h) {
                return HttpReply.text(h.status(), h.getMessage() + "\n");
            }
            LOG.error("HTTP route failed", t);
            return HttpReply.text(500, "internal error: " + t + "\n");
        }
    }
}
