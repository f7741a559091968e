package io.entrenar.ops;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bounds what a request may send: a declared {@code Content-Length} over the limit is refused with
 * 413 before the handler runs, and a chunked body that grows past it fails the read. The JDK's
 * server itself accepts bodies of any size.
 */
public final class BodyLimit extends Filter {

    private final long maxBytes;

    public BodyLimit(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a body limit cannot be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Puts the limit in front of each context. */
    public static void install(long maxBytes, HttpContext... contexts) {
        BodyLimit limit = new BodyLimit(maxBytes);
        for (HttpContext c : contexts) {
            c.getFilters().add(limit);
        }
    }

    @Override
    public String description() {
        return "refuses request bodies over " + maxBytes + " bytes";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            length = Long.MAX_VALUE;
        }
        if (length > maxBytes) {
            try (exchange) {
                byte[] body = ("Request body of " + declared + " bytes refused: this server takes at most " + maxBytes
                        + " bytes\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(413, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            return;
        }
        exchange.setStreams(new Bounded(exchange.getRequestBody(), maxBytes), null);
        chain.doFilter(exchange);
    }

    /** Fails a read that would take the body past the limit. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException("request body passed " + max + " bytes");
            }
        }
    }
}
