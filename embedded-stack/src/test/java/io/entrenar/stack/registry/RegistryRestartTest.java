package io.entrenar.stack.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.registry.RegisteredSchema;
import io.entrenar.registry.RestSchemaRegistryClient;
import io.entrenar.registry.SchemaNotFoundException;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.registry.SubjectNotFoundException;
import io.entrenar.stack.SharedStack;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The schemas topic is the registry's only state: a new server on the same broker serves the same registry. */
@ExtendWith(SharedStack.class)
class RegistryRestartTest {

    @Test
    void aRestartedServerKeepsIdsVersionsAndConfigs() {
        Map<String, Object> config = RegistryTestServers.config("_schemas-restart");
        Schema temporary = TestSchemas.unique("temporary");
        int v1;
        int v2;
        int other;
        int removed;
        try (SchemaRegistryServer server = SchemaRegistryServer.start(new SchemaRegistryServerConfig(config));
             SchemaRegistryClient client = new RestSchemaRegistryClient(server.url())) {
            v1 = client.register("runs-value", TestSchemas.V1);
            v2 = client.register("runs-value", TestSchemas.V2);
            other = client.register("metrics-value", TestSchemas.unique("metrics"));
            client.register("metrics-value", TestSchemas.uniqueEvolved("metrics"));
            client.deleteVersion("metrics-value", 2, false);
            removed = client.register("scratch-value", temporary);
            client.deleteSubject("scratch-value", false);
            client.deleteSubject("scratch-value", true);
            client.setGlobalCompatibility(CompatibilityLevel.FULL);
            client.setSubjectCompatibility("runs-value", CompatibilityLevel.NONE);
        }
        try (SchemaRegistryServer server = SchemaRegistryServer.start(new SchemaRegistryServerConfig(config));
             SchemaRegistryClient client = new RestSchemaRegistryClient(server.url())) {
            assertEquals(new RegisteredSchema("runs-value", 1, v1, TestSchemas.V1), client.version("runs-value", 1));
            assertEquals(new RegisteredSchema("runs-value", 2, v2, TestSchemas.V2), client.latest("runs-value"));
            assertEquals(List.of(1), client.versions("metrics-value"));
            assertEquals(other, client.latest("metrics-value").id());
            assertThrows(SubjectNotFoundException.class, () -> client.versions("scratch-value"));
            assertThrows(SchemaNotFoundException.class, () -> client.schemaById(removed));
            assertEquals(CompatibilityLevel.FULL, client.globalCompatibility());
            assertEquals(CompatibilityLevel.NONE, client.subjectCompatibility("runs-value"));
            assertEquals(CompatibilityLevel.FULL, client.subjectCompatibility("metrics-value"));

            assertEquals(v1, client.register("runs-value", TestSchemas.V1), "registering again finds the old id");
            int next = client.register("fresh-value", TestSchemas.unique("after_restart"));
            assertEquals(removed + 1, next, "ids continue after the highest ever written, deleted ones included");
        }
    }
}
