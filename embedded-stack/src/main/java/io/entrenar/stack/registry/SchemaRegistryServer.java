package io.entrenar.stack.registry;

import io.entrenar.ops.BodyLimit;
import io.entrenar.ops.BrowserGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking Confluent's REST API, backed by a compacted Kafka topic: Confluent's
 * serializers and clients, and ours, work against it. One instance per topic: it elects no leader.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final SchemaLog log;
    private final RegistryRouter router;
    private final String url;

    private SchemaRegistryServer(HttpServer http, ExecutorService executor, SchemaLog log, RegistryRouter router, String url) {
        this.http = http;
        this.executor = executor;
        this.log = log;
        this.router = router;
        this.url = url;
    }

    /** Reads the schemas topic (creating it if missing), then starts serving. */
    public static SchemaRegistryServer start(SchemaRegistryServerConfig config) {
        RegistryState state = new RegistryState(config.compatibilityLevel());
        SchemaLog log = SchemaLog.open(config, state::apply);
        ExecutorService executor = Executors.newFixedThreadPool(config.httpThreads(), threads());
        try {
            RegistryRouter router = new RegistryRouter(new RegistryService(state, log));
            HttpServer http;
            if (config.https()) {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(config.host(), config.port()), 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(config.sslContext()));
                http = https;
            } else {
                http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
            }
            HttpContext context = http.createContext("/", router);
            BrowserGuard.install(http, List.of(), List.of(), context);
            BodyLimit.install(8 << 20, context); // a schema is KiB; Confluent's own limit is far above any real one
            if (config.basicAuthUserInfo() != null || config.adminUserInfo() != null) {
                context.getFilters().add(new BasicAuthFilter(config.basicAuthUserInfo(), config.adminUserInfo()));
            }
            http.setExecutor(executor);
            http.start();
            String url = (config.https() ? "https://" : "http://") + urlHost(config.host()) + ":" + http.getAddress().getPort();
            LOG.info("Schema registry serving {} from topic {}", url, config.topic());
            return new SchemaRegistryServer(http, executor, log, router, url);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            log.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return url;
    }

    /** HTTP requests served so far (for tests that prove a client's cache answered). */
    long requestCount() {
        return router.requestCount();
    }

    /** Stops taking requests, lets running ones finish briefly, then closes the Kafka clients. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1"; // listening everywhere: the loopback address reaches it from here
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "schema-registry-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
