package io.entrenar.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RegistryErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SchemaRegistryException map(int status, String body) {
        return RegistryErrors.fromResponse(JSON, "fetch schema id 7", "GET http://r:1/schemas/ids/7", status,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void confluentCodesBecomeTypedExceptions() {
        assertInstanceOf(SubjectNotFoundException.class, map(404, "{\"error_code\":40401,\"message\":\"m\"}"));
        assertInstanceOf(VersionNotFoundException.class, map(404, "{\"error_code\":40402,\"message\":\"m\"}"));
        assertInstanceOf(SchemaNotFoundException.class, map(404, "{\"error_code\":40403,\"message\":\"m\"}"));
        assertInstanceOf(IncompatibleSchemaException.class, map(409, "{\"error_code\":409,\"message\":\"m\"}"));
        assertInstanceOf(IncompatibleSchemaException.class, map(409, "{\"error_code\":40901,\"message\":\"m\"}"));
        assertInstanceOf(InvalidSchemaException.class, map(422, "{\"error_code\":42201,\"message\":\"m\"}"));
        assertInstanceOf(InvalidVersionException.class, map(422, "{\"error_code\":42202,\"message\":\"m\"}"));
        assertInstanceOf(InvalidCompatibilityLevelException.class, map(422, "{\"error_code\":42203,\"message\":\"m\"}"));
        assertInstanceOf(UnauthorizedException.class, map(401, "{\"error_code\":40101,\"message\":\"m\"}"));
        assertInstanceOf(UnauthorizedException.class, map(403, ""));
        assertInstanceOf(RegistryUnavailableException.class, map(500, "{\"error_code\":50001,\"message\":\"m\"}"));
        assertEquals(SchemaRegistryException.class, map(404, "{\"error_code\":40405,\"message\":\"m\"}").getClass());
    }

    @Test
    void messagesNameWhatWhereAndWhy() {
        SchemaRegistryException e = map(404, "{\"error_code\":40403,\"message\":\"Schema 7 not found\"}");
        assertEquals(404, e.httpStatus());
        assertEquals(40403, e.errorCode());
        assertTrue(e.getMessage().contains("schema id 7"), e.getMessage());
        assertTrue(e.getMessage().contains("http://r:1/schemas/ids/7"), e.getMessage());
        assertTrue(e.getMessage().contains("Schema 7 not found"), e.getMessage());
    }

    @Test
    void nonJsonBodiesKeepTheirText() {
        SchemaRegistryException e = map(502, "<html>Bad Gateway</html>");
        assertInstanceOf(RegistryUnavailableException.class, e);
        assertEquals(502, e.errorCode());
        assertTrue(e.getMessage().contains("Bad Gateway"), e.getMessage());
    }
}
