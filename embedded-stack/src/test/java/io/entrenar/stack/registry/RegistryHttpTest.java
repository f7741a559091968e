package io.entrenar.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrenar.registry.RestSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClientConfig;
import io.entrenar.registry.UnauthorizedException;
import io.entrenar.stack.SharedStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Status codes, headers and JSON bodies on the wire, as Confluent's clients expect them. */
@ExtendWith(SharedStack.class)
class RegistryHttpTest {
    private static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static SchemaRegistryServer server;
    private static SchemaRegistryServer secured;

    @BeforeAll
    static void start() {
        server = SchemaRegistryServer.start(new SchemaRegistryServerConfig(RegistryTestServers.config("_schemas-http")));
        Map<String, Object> securedConfig = new HashMap<>(RegistryTestServers.config("_schemas-http-auth"));
        securedConfig.put(SchemaRegistryServerConfig.AUTHENTICATION_BASIC_USER_INFO_CONFIG, "ops:s3cret");
        secured = SchemaRegistryServer.start(new SchemaRegistryServerConfig(securedConfig));
    }

    @AfterAll
    static void stop() {
        server.close();
        secured.close();
    }

    @Test
    void registerAndReadBackInConfluentShapes() throws Exception {
        Answer registered = post("/subjects/shapes-value/versions", schemaBody(TestSchemas.V1_JSON));
        assertEquals(200, registered.status);
        assertEquals(V1_JSON, registered.contentType);
        int id = registered.json.get("id").asInt();
        assertEquals(JSON.readTree("{\"id\":" + id + "}"), registered.json);

        String canonical = TestSchemas.V1.toString();
        JsonNode version = JSON.createObjectNode().put("subject", "shapes-value").put("version", 1).put("id", id)
                .put("schema", canonical);
        assertEquals(version, get("/subjects/shapes-value/versions/1").json);
        assertEquals(version, get("/subjects/shapes-value/versions/latest").json);
        assertEquals(version, post("/subjects/shapes-value", schemaBody(TestSchemas.V1_JSON)).json);
        assertEquals(JSON.readTree(canonical), get("/subjects/shapes-value/versions/1/schema").json);
        assertEquals(JSON.createObjectNode().put("schema", canonical), get("/schemas/ids/" + id).json);
        assertEquals(JSON.readTree("[{\"subject\":\"shapes-value\",\"version\":1}]"), get("/schemas/ids/" + id + "/versions").json);
        assertEquals(JSON.readTree("[1]"), get("/subjects/shapes-value/versions").json);
        assertTrue(get("/subjects").json.toString().contains("\"shapes-value\""));
        assertEquals(JSON.readTree("[]"), get("/subjects/shapes-value/versions/1/referencedby").json);
    }

    @Test
    void rootAndSchemaTypes() throws Exception {
        Answer root = get("/");
        assertEquals(200, root.status);
        assertEquals(JSON.readTree("{}"), root.json);
        assertEquals(JSON.readTree("[\"AVRO\"]"), get("/schemas/types").json);
    }

    @Test
    void invalidSchemasAnswer422With42201() throws Exception {
        assertError(422, 42201, post("/subjects/bad-value/versions", schemaBody("{\"type\":\"record\",")));
        assertError(422, 42201, post("/subjects/bad-value/versions", schemaBody("{\"type\":\"nosuchtype\"}")));
        assertError(422, 42201, post("/subjects/bad-value/versions", "{}"));
        assertError(422, 42201, post("/subjects/bad-value/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"));
        assertTrue(post("/subjects/bad-value/versions", "{\"schemaType\":\"PROTOBUF\",\"schema\":\"x\"}")
                .json.get("message").asText().contains("only AVRO"));
        assertError(400, 400, post("/subjects/bad-value/versions", "{not json"));
        assertError(404, 40401, get("/subjects/bad-value/versions"));
    }

    @Test
    void incompatibleSchemaAnswers409() throws Exception {
        post("/subjects/conflict-value/versions", schemaBody(TestSchemas.V1_JSON));
        Answer answer = post("/subjects/conflict-value/versions", schemaBody(TestSchemas.NO_DEFAULT_JSON));
        assertError(409, 409, answer);
        assertTrue(answer.json.get("message").asText().startsWith(
                "Schema being registered is incompatible with an earlier schema for subject \"conflict-value\""),
                answer.json.toString());
    }

    @Test
    void compatibilityCheckBodies() throws Exception {
        post("/subjects/compat-value/versions", schemaBody(TestSchemas.V1_JSON));
        assertEquals(JSON.readTree("{\"is_compatible\":false}"),
                post("/compatibility/subjects/compat-value/versions/latest", schemaBody(TestSchemas.TYPE_CHANGE_JSON)).json);
        JsonNode verbose = post("/compatibility/subjects/compat-value/versions/1?verbose=true",
                schemaBody(TestSchemas.TYPE_CHANGE_JSON)).json;
        assertFalse(verbose.get("is_compatible").asBoolean());
        assertFalse(verbose.get("messages").isEmpty());
        assertEquals(JSON.readTree("{\"is_compatible\":true}"),
                post("/compatibility/subjects/compat-value/versions", schemaBody(TestSchemas.V2_JSON)).json);
        assertError(404, 40402, post("/compatibility/subjects/compat-value/versions/9", schemaBody(TestSchemas.V2_JSON)));
    }

    @Test
    void lookupsThatFindNothing() throws Exception {
        post("/subjects/lookup-value/versions", schemaBody(TestSchemas.V1_JSON));
        assertError(404, 40403, post("/subjects/lookup-value", schemaBody(TestSchemas.V2_JSON)));
        assertError(404, 40401, post("/subjects/nobody-value", schemaBody(TestSchemas.V2_JSON)));
        assertError(404, 40402, get("/subjects/lookup-value/versions/2"));
        assertError(404, 40403, get("/schemas/ids/424242"));
        assertError(422, 42202, get("/subjects/lookup-value/versions/abc"));
        assertError(422, 42202, get("/subjects/lookup-value/versions/0"));
    }

    @Test
    void deletesFollowConfluentsOrder() throws Exception {
        post("/subjects/del-value/versions", schemaBody(TestSchemas.V1_JSON));
        assertError(404, 40405, send("DELETE", "/subjects/del-value?permanent=true", null, null));
        assertError(404, 40407, send("DELETE", "/subjects/del-value/versions/1?permanent=true", null, null));
        assertEquals(JSON.readTree("1"), send("DELETE", "/subjects/del-value/versions/1", null, null).json);
        assertError(404, 40406, send("DELETE", "/subjects/del-value/versions/1", null, null));
        assertError(404, 40404, send("DELETE", "/subjects/del-value", null, null));
        assertEquals(JSON.readTree("[1]"), get("/subjects/del-value/versions?deleted=true").json);
        assertEquals(JSON.readTree("[1]"), send("DELETE", "/subjects/del-value?permanent=true", null, null).json);
        assertError(404, 40401, get("/subjects/del-value/versions?deleted=true"));
    }

    @Test
    void configBodies() throws Exception {
        assertEquals(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"), get("/config").json);
        assertEquals(JSON.readTree("{\"compatibility\":\"FULL\"}"),
                send("PUT", "/config/cfg-value", "{\"compatibility\":\"full\"}", null).json);
        assertEquals(JSON.readTree("{\"compatibilityLevel\":\"FULL\"}"), get("/config/cfg-value").json);
        assertError(404, 40408, get("/config/other-value"));
        assertEquals(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"), get("/config/other-value?defaultToGlobal=true").json);
        assertError(422, 42203, send("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}", null));
        assertError(422, 42203, send("PUT", "/config/cfg-value", "{}", null));
        assertEquals(JSON.readTree("{\"compatibilityLevel\":\"FULL\"}"), send("DELETE", "/config/cfg-value", null, null).json);
        assertError(404, 40401, send("DELETE", "/config/cfg-value", null, null));
    }

    @Test
    void unknownRoutesAndMethods() throws Exception {
        assertError(404, 404, get("/nothing/here"));
        assertError(404, 404, get("/schemas/ids/abc"));
        assertError(405, 405, send("PUT", "/subjects", "{}", null));
    }

    @Test
    void plainJsonWhenTheClientOnlyAcceptsThat() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/config"))
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void basicAuthWhenConfigured() throws Exception {
        Answer none = send("GET", "/subjects", null, null, secured);
        assertError(401, 40101, none);
        assertTrue(none.headers.firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertError(401, 40101, send("GET", "/subjects", null, basic("ops:wrong"), secured));
        assertEquals(200, send("GET", "/subjects", null, basic("ops:s3cret"), secured).status);

        try (SchemaRegistryClient client = new RestSchemaRegistryClient(new SchemaRegistryClientConfig(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, secured.url(),
                SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                SchemaRegistryClientConfig.USER_INFO_CONFIG, "ops:s3cret")))) {
            assertEquals(client.register("auth-value", TestSchemas.V1), client.latest("auth-value").id());
        }
        String withCredentials = secured.url().replace("http://", "http://ops:s3cret@");
        try (SchemaRegistryClient client = new RestSchemaRegistryClient(withCredentials)) {
            assertEquals(1, client.latest("auth-value").version());
        }
        try (SchemaRegistryClient client = new RestSchemaRegistryClient(secured.url())) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, client::subjects);
            assertEquals(401, e.httpStatus());
            assertEquals(40101, e.errorCode());
        }
    }

    @Test
    void formsAndPlainTextCannotChangeTheRegistry() throws Exception {
        String before = get("/subjects").json.toString();
        String level = get("/config").json.toString();
        String register = schemaBody(TestSchemas.V1_JSON);
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            Answer posted = sendTyped("POST", "/subjects/csrf-value/versions", register, type, null, server);
            assertEquals(415, posted.status, type);
            assertEquals(415, posted.json.get("error_code").asInt());
            assertTrue(posted.json.get("message").asText().contains(type), posted.json.toString());
            assertEquals(415, sendTyped("PUT", "/config", "{\"compatibility\":\"NONE\"}", type, null, server).status, type);
        }
        assertEquals(415, sendTyped("POST", "/subjects/csrf-value/versions", register, null, null, server).status, "no type");
        assertEquals(before, get("/subjects").json.toString(), "nothing registered");
        assertEquals(level, get("/config").json.toString(), "compatibility unchanged");
        assertEquals(200, sendTyped("POST", "/subjects/csrf-value/versions", register, "application/json; charset=utf-8", null,
                server).status, "plain JSON is what curl users send");
    }

    @Test
    void aReaderCredentialOnlyReadsWhenAnAdminOneIsSet() throws Exception {
        Map<String, Object> config = new HashMap<>(RegistryTestServers.config("_schemas-http-roles"));
        config.put(SchemaRegistryServerConfig.AUTHENTICATION_BASIC_USER_INFO_CONFIG, "reader:r3ad");
        config.put(SchemaRegistryServerConfig.AUTHENTICATION_BASIC_ADMIN_USER_INFO_CONFIG, "admin:adm1n");
        try (SchemaRegistryServer roles = SchemaRegistryServer.start(new SchemaRegistryServerConfig(config))) {
            String reader = basic("reader:r3ad");
            String admin = basic("admin:adm1n");
            String body = schemaBody(TestSchemas.V1_JSON);
            assertError(403, 40301, send("POST", "/subjects/roles-value/versions", body, reader, roles));
            assertEquals(200, send("POST", "/subjects/roles-value/versions", body, admin, roles).status);
            assertEquals(200, send("POST", "/subjects/roles-value", body, reader, roles).status, "a lookup reads");
            assertEquals(200, send("POST", "/compatibility/subjects/roles-value/versions/latest", body, reader, roles).status);
            assertError(403, 40301, send("DELETE", "/subjects/roles-value", null, reader, roles));
            assertError(403, 40301, send("PUT", "/config", "{\"compatibility\":\"NONE\"}", reader, roles));
            assertError(403, 40301, send("PUT", "/config/roles-value", "{\"compatibility\":\"NONE\"}", reader, roles));
            assertError(401, 40101, send("DELETE", "/subjects/roles-value", null, null, roles));
            assertEquals("[1]", send("GET", "/subjects/roles-value/versions", null, reader, roles).json.toString(), "still there");
            assertEquals("BACKWARD", send("GET", "/config", null, reader, roles).json.get("compatibilityLevel").asText());
            assertEquals(200, send("PUT", "/config", "{\"compatibility\":\"FULL\"}", admin, roles).status);
            assertEquals(200, send("DELETE", "/subjects/roles-value", null, admin, roles).status);
        }
    }

    private static void assertError(int status, int errorCode, Answer answer) {
        assertEquals(status, answer.status, answer.json.toString());
        assertEquals(V1_JSON, answer.contentType);
        assertEquals(errorCode, answer.json.get("error_code").asInt(), answer.json.toString());
        assertTrue(answer.json.get("message").isTextual(), answer.json.toString());
        assertEquals(2, answer.json.size(), "exactly error_code and message: " + answer.json);
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    private static Answer post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body, null);
    }

    private static Answer send(String method, String path, String body, String authorization)
            throws IOException, InterruptedException {
        return send(method, path, body, authorization, server);
    }

    private static Answer send(String method, String path, String body, String authorization, SchemaRegistryServer to)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.url() + path))
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", V1_JSON);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()), response.headers());
    }

    private static Answer sendTyped(String method, String path, String body, String contentType, String authorization,
                                    SchemaRegistryServer to) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()), response.headers());
    }

    private record Answer(int status, String contentType, JsonNode json, java.net.http.HttpHeaders headers) {
    }
}
