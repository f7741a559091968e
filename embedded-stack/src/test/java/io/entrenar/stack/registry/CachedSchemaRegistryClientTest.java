package io.entrenar.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.RestSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClientConfig;
import io.entrenar.stack.SharedStack;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The caching client answers repeated questions without HTTP requests, counted at the real server. */
@ExtendWith(SharedStack.class)
class CachedSchemaRegistryClientTest {
    private static SchemaRegistryServer server;

    @BeforeAll
    static void start() {
        server = SchemaRegistryServer.start(new SchemaRegistryServerConfig(RegistryTestServers.config("_schemas-cached")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void repeatedRegisterAndSchemaByIdStayLocal() {
        try (CachedSchemaRegistryClient client = CachedSchemaRegistryClient.fromConfigs(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, server.url(),
                "key.serializer", "ignored: serializer configs pass through"))) {
            long before = server.requestCount();
            int id = client.register("cached-value", TestSchemas.V1);
            assertEquals(before + 1, server.requestCount());

            assertEquals(id, client.register("cached-value", TestSchemas.V1));
            assertEquals(id, client.register("cached-value", TestSchemas.parse(TestSchemas.V1_JSON)), "equal, not same");
            assertSame(TestSchemas.V1, client.schemaById(id), "register fills the id cache");
            assertEquals(before + 1, server.requestCount());

            client.lookup("cached-value", TestSchemas.V1);
            client.lookup("cached-value", TestSchemas.V1);
            assertEquals(before + 2, server.requestCount());
        }
    }

    @Test
    void schemaByIdAsksOnce() {
        int id;
        try (RestSchemaRegistryClient rest = new RestSchemaRegistryClient(server.url())) {
            id = rest.register("by-id-value", TestSchemas.unique("byid"));
        }
        try (CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(server.url()), 10)) {
            long before = server.requestCount();
            Schema first = client.schemaById(id);
            assertSame(first, client.schemaById(id));
            assertEquals(before + 1, server.requestCount());
        }
    }

    @Test
    void deletesInvalidateSoThatRegisteringAgainReachesTheRegistry() {
        try (CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(server.url()), 10)) {
            int id = client.register("invalidate-value", TestSchemas.V1);
            client.deleteSubject("invalidate-value", false);
            long before = server.requestCount();
            assertEquals(id, client.register("invalidate-value", TestSchemas.V1));
            assertEquals(before + 1, server.requestCount());
            assertEquals(2, client.latest("invalidate-value").version());
        }
    }

    @Test
    void refusesMoreDistinctSchemasPerSubjectThanConfigured() {
        try (CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(server.url()), 2)) {
            client.setSubjectCompatibility("bounded-value", io.entrenar.registry.CompatibilityLevel.NONE);
            client.register("bounded-value", TestSchemas.unique("b1"));
            client.register("bounded-value", TestSchemas.unique("b2"));
            assertThrows(IllegalStateException.class, () -> client.register("bounded-value", TestSchemas.unique("b3")));
            client.register("bounded-value", TestSchemas.unique("b1")); // a known one still answers
        }
    }
}
