package io.entrenar.ops.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One request as a {@link Route} sees it: method, decoded path, query parameters, headers and the
 * body, read at most once and never past the route's limit.
 */
public final class HttpCall {
    /** Request attribute set once a route has read the body (the connection can then be kept alive). */
    static final String BODY_READ = "io.entrenar.ops.http.bodyRead";

    private final Request request;
    private final String path;
    private final String rest;
    private final long bodyLimit;
    private Fields query;
    private boolean bodyTaken;

    HttpCall(Request request, String path, String rest, long bodyLimit) {
        this.request = request;
        this.path = path;
        this.rest = rest;
        this.bodyLimit = bodyLimit;
    }

    public String method() {
        return request.getMethod();
    }

    /** The decoded path, e.g. {@code /api/2.0/mlflow/runs/get}. */
    public String path() {
        return path;
    }

    /** For a prefix route ({@code /files/*}): what follows the prefix, decoded; otherwise empty. */
    public String rest() {
        return rest;
    }

    /** The first value of query parameter {@code name}, or null. */
    public String query(String name) {
        return queryFields().getValue(name);
    }

    /** Every value of query parameter {@code name} ({@code ?id=1&id=2}), in order. */
    public List<String> queryAll(String name) {
        List<String> values = queryFields().getValues(name);
        return values == null ? List.of() : values;
    }

    /**
     * The whole body, at most the route's limit: a longer one fails with {@link HttpException} 413
     * before it is read further.
     */
    public byte[] body() throws IOException {
        try (InputStream in = bodyStream()) {
            long declared = request.getLength();
            if (declared > bodyLimit) {
                throw new HttpException(413, "the request body is " + declared + " bytes; the limit is " + bodyLimit);
            }
            if (declared >= 0) {
                // read into one array of the declared size, not through growing copies
                byte[] bytes = new byte[(int) declared];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (n < bytes.length) {
                    throw new HttpException(400, "the request body ended after " + n + " of its " + declared + " bytes");
                }
                return bytes;
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bodyLimit + 1));
            if (bytes.length > bodyLimit) {
                throw new HttpException(413, "the request body passed the limit of " + bodyLimit + " bytes");
            }
            return bytes;
        }
    }

    /** The body as a stream, for uploads: the route bounds what it reads itself. */
    public InputStream bodyStream() {
        if (bodyTaken) {
            throw new IllegalStateException("the body of this request was already read");
        }
        bodyTaken = true;
        request.setAttribute(BODY_READ, Boolean.TRUE);
        return Content.Source.asInputStream(request);
    }

    private Fields queryFields() {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query;
    }
}
