package io.entrenar.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests as a browser sends them on behalf of another site, against a real server: refused
 * before the handler runs. Programs and the surface's own pages still get through.
 */
class BrowserGuardTest {

    private HttpServer server;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        BrowserGuard.install(server, List.of("entrenar.internal"), List.of("http://localhost:3000"),
                server.createContext("/", e -> {
                    handled.incrementAndGet();
                    byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
                    e.sendResponseHeaders(200, ok.length);
                    try (OutputStream o = e.getResponseBody()) {
                        o.write(ok);
                    }
                }));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String request(String method, String headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((method + " /x HTTP/1.1\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private String port() {
        return Integer.toString(server.getAddress().getPort());
    }

    @Test
    void pagesOfOtherSitesAndReboundNamesAreRefusedBeforeTheHandler() throws Exception {
        assertTrue(request("GET", "Host: attacker.example:" + port() + "\r\n").startsWith("HTTP/1.1 403"), "DNS rebinding");
        assertTrue(request("POST", "Host: 127.0.0.1:" + port() + "\r\nOrigin: http://attacker.example\r\n").startsWith("HTTP/1.1 403"),
                "cross-site POST");
        assertTrue(request("POST", "Host: 127.0.0.1:" + port() + "\r\nOrigin: http://127.0.0.1:9999\r\n").startsWith("HTTP/1.1 403"),
                "another local port is another origin");
        assertTrue(request("POST", "Host: 127.0.0.1:" + port() + "\r\nOrigin: null\r\n").startsWith("HTTP/1.1 403"), "sandboxed frame");
        assertTrue(request("GET", "Host: 127.0.0.1:" + port() + "\r\nSec-Fetch-Site: cross-site\r\n").startsWith("HTTP/1.1 403"),
                "an image or a form of another site");
        assertTrue(request("GET", "Host: 127.0.0.1:" + port() + "\r\nSec-Fetch-Site: same-site\r\n").startsWith("HTTP/1.1 403"));
        assertEquals(0, handled.get(), "no refused request reached the handler");
    }

    @Test
    void programsOwnPagesAndListedOriginsGetThrough() throws Exception {
        assertTrue(request("GET", "Host: 127.0.0.1:" + port() + "\r\n").startsWith("HTTP/1.1 200"), "curl");
        assertTrue(request("GET", "Host: localhost:" + port() + "\r\n").startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "Host: entrenar.internal\r\n").startsWith("HTTP/1.1 200"), "a configured name");
        assertTrue(request("GET", "").startsWith("HTTP/1.1 200"), "HTTP/1.0-style client without Host");
        assertTrue(request("POST", "Host: 127.0.0.1:" + port() + "\r\nOrigin: http://127.0.0.1:" + port()
                + "\r\nSec-Fetch-Site: same-origin\r\n").startsWith("HTTP/1.1 200"), "the surface's own page");
        String listed = request("POST", "Host: 127.0.0.1:" + port() + "\r\nOrigin: http://localhost:3000\r\n");
        assertTrue(listed.startsWith("HTTP/1.1 200") && listed.toLowerCase().contains("access-control-allow-origin: http://localhost:3000"), listed);
        String preflight = request("OPTIONS", "Host: 127.0.0.1:" + port() + "\r\nOrigin: http://localhost:3000\r\n");
        assertTrue(preflight.startsWith("HTTP/1.1 204") && preflight.toLowerCase().contains("access-control-allow-methods"), preflight);
        assertEquals(6, handled.get());
    }

    @Test
    void aServerOnEveryInterfaceLeavesHostToItsPassword() {
        BrowserGuard guard = new BrowserGuard("0.0.0.0", List.of(), List.of());
        com.sun.net.httpserver.Headers h = new com.sun.net.httpserver.Headers();
        h.add("Host", "sink:9402");
        assertEquals(null, guard.refusal(h::getFirst), "Prometheus in compose scrapes by container name");
        h.add("Origin", "http://attacker.example");
        assertTrue(guard.refusal(h::getFirst).contains("not allowed"));
    }
}
