package io.entrenar.stack.registry;

import static io.entrenar.stack.registry.TestSchemas.NO_DEFAULT;
import static io.entrenar.stack.registry.TestSchemas.TYPE_CHANGE;
import static io.entrenar.stack.registry.TestSchemas.V1;
import static io.entrenar.stack.registry.TestSchemas.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.registry.CompatibilityResult;
import io.entrenar.registry.IncompatibleSchemaException;
import io.entrenar.registry.InvalidSchemaException;
import io.entrenar.registry.RegisteredSchema;
import io.entrenar.registry.RegistryErrorCodes;
import io.entrenar.registry.RegistryUnavailableException;
import io.entrenar.registry.RestSchemaRegistryClient;
import io.entrenar.registry.SchemaNotFoundException;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClientConfig;
import io.entrenar.registry.SchemaRegistryException;
import io.entrenar.registry.SubjectNotFoundException;
import io.entrenar.registry.VersionNotFoundException;
import io.entrenar.stack.SharedStack;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every client operation against the real server on a real broker. */
@ExtendWith(SharedStack.class)
class RegistryRoundTripTest {
    private static SchemaRegistryServer server;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        server = SchemaRegistryServer.start(new SchemaRegistryServerConfig(RegistryTestServers.config("_schemas-roundtrip")));
        client = new RestSchemaRegistryClient(server.url());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void sameSchemaTwiceGivesTheSameIdAndOneVersion() {
        int first = client.register("twice-value", V1);
        int second = client.register("twice-value", TestSchemas.parse(TestSchemas.V1_JSON.replace(" ", "  ")));
        assertEquals(first, second);
        assertEquals(List.of(1), client.versions("twice-value"));
        assertEquals(V1, client.schemaById(first));
    }

    @Test
    void sameSchemaUnderTwoSubjectsSharesItsId() {
        Schema schema = TestSchemas.unique("shared");
        int a = client.register("shared-a-value", schema);
        int b = client.register("shared-b-value", schema);
        assertEquals(a, b);
        assertEquals(1, client.version("shared-b-value", 1).version());
    }

    @Test
    void backwardCompatibleChangeBecomesVersionTwo() {
        int v1 = client.register("evolve-value", V1);
        int v2 = client.register("evolve-value", V2);
        assertNotEquals(v1, v2);
        assertEquals(List.of(1, 2), client.versions("evolve-value"));
        assertEquals(new RegisteredSchema("evolve-value", 2, v2, V2), client.latest("evolve-value"));
        assertEquals(new RegisteredSchema("evolve-value", 1, v1, V1), client.version("evolve-value", 1));
        assertEquals(new RegisteredSchema("evolve-value", 1, v1, V1), client.lookup("evolve-value", V1));
        assertTrue(client.subjects().contains("evolve-value"));
    }

    @Test
    void incompatibleChangesAreRejectedAndNothingIsRegistered() {
        client.register("strict-value", V1);
        for (Schema breaking : List.of(NO_DEFAULT, TYPE_CHANGE)) {
            IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                    () -> client.register("strict-value", breaking));
            assertEquals(409, e.httpStatus());
            assertEquals(RegistryErrorCodes.INCOMPATIBLE_SCHEMA, e.errorCode());
            assertTrue(e.getMessage().contains("strict-value"), e.getMessage());
        }
        assertEquals(List.of(1), client.versions("strict-value"));
        assertThrows(SchemaNotFoundException.class, () -> client.lookup("strict-value", NO_DEFAULT));
    }

    @Test
    void unknownSubjectVersionAndIdAreReportedWithTheirCodes() {
        client.register("known-value", V1);
        SubjectNotFoundException subject = assertThrows(SubjectNotFoundException.class, () -> client.latest("nobody-value"));
        assertEquals(RegistryErrorCodes.SUBJECT_NOT_FOUND, subject.errorCode());
        assertTrue(subject.getMessage().contains("nobody-value") && subject.getMessage().contains(server.url()),
                subject.getMessage());
        VersionNotFoundException version = assertThrows(VersionNotFoundException.class, () -> client.version("known-value", 7));
        assertEquals(RegistryErrorCodes.VERSION_NOT_FOUND, version.errorCode());
        SchemaNotFoundException id = assertThrows(SchemaNotFoundException.class, () -> client.schemaById(987_654));
        assertEquals(RegistryErrorCodes.SCHEMA_NOT_FOUND, id.errorCode());
        assertTrue(id.getMessage().contains("987654"), id.getMessage());
        assertThrows(SubjectNotFoundException.class, () -> client.versions("nobody-value"));
    }

    @Test
    void softDeleteThenPermanentDelete() {
        Schema schema = TestSchemas.unique("deleted");
        int id = client.register("gone-value", schema);
        client.register("gone-value", TestSchemas.uniqueEvolved("deleted"));

        SchemaRegistryException notSoftDeleted = assertThrows(SchemaRegistryException.class,
                () -> client.deleteSubject("gone-value", true));
        assertEquals(RegistryErrorCodes.SUBJECT_NOT_SOFT_DELETED, notSoftDeleted.errorCode());

        assertEquals(List.of(1, 2), client.deleteSubject("gone-value", false));
        assertThrows(SubjectNotFoundException.class, () -> client.versions("gone-value"));
        assertFalse(client.subjects().contains("gone-value"));
        assertEquals(schema, client.schemaById(id), "soft-deleted ids stay resolvable");

        assertEquals(List.of(1, 2), client.deleteSubject("gone-value", true));
        assertThrows(SchemaNotFoundException.class, () -> client.schemaById(id));
        assertThrows(SubjectNotFoundException.class, () -> client.deleteSubject("gone-value", false));
    }

    @Test
    void versionDeletesAndReRegistration() {
        int id = client.register("versions-value", V1);
        client.register("versions-value", V2);
        SchemaRegistryException live = assertThrows(SchemaRegistryException.class,
                () -> client.deleteVersion("versions-value", 1, true));
        assertEquals(RegistryErrorCodes.VERSION_NOT_SOFT_DELETED, live.errorCode());
        assertEquals(1, client.deleteVersion("versions-value", 1, false));
        assertEquals(List.of(2), client.versions("versions-value"));
        assertEquals(1, client.deleteVersion("versions-value", 1, true));
        assertThrows(VersionNotFoundException.class, () -> client.version("versions-value", 1));

        assertEquals(2, client.deleteVersion("versions-value", -1, false));
        assertEquals(id, client.register("versions-value", V1), "a schema keeps its id when registered again");
        assertEquals(List.of(3), client.versions("versions-value"));
    }

    @Test
    void compatibilityLevelsGlobalAndPerSubject() {
        assertEquals(CompatibilityLevel.BACKWARD, client.globalCompatibility());
        client.register("levels-value", V1);
        assertEquals(CompatibilityLevel.BACKWARD, client.subjectCompatibility("levels-value"));

        client.setSubjectCompatibility("levels-value", CompatibilityLevel.NONE);
        assertEquals(CompatibilityLevel.NONE, client.subjectCompatibility("levels-value"));
        client.register("levels-value", TYPE_CHANGE); // NONE at the subject overrides the global BACKWARD
        assertEquals(List.of(1, 2), client.versions("levels-value"));

        client.deleteSubjectCompatibility("levels-value");
        assertEquals(CompatibilityLevel.BACKWARD, client.subjectCompatibility("levels-value"));
        assertThrows(SubjectNotFoundException.class, () -> client.deleteSubjectCompatibility("levels-value"));

        client.setGlobalCompatibility(CompatibilityLevel.FULL_TRANSITIVE);
        try {
            assertEquals(CompatibilityLevel.FULL_TRANSITIVE, client.globalCompatibility());
            assertEquals(CompatibilityLevel.FULL_TRANSITIVE, client.subjectCompatibility("levels-value"));
        } finally {
            client.setGlobalCompatibility(CompatibilityLevel.BACKWARD);
        }
    }

    @Test
    void compatibilityTestsExplainWhy() {
        client.register("check-value", V1);
        CompatibilityResult ok = client.testCompatibility("check-value", -1, V2);
        assertTrue(ok.compatible());
        assertEquals(List.of(), ok.messages());

        CompatibilityResult broken = client.testCompatibility("check-value", 1, NO_DEFAULT);
        assertFalse(broken.compatible());
        assertTrue(broken.messages().stream().anyMatch(m -> m.contains("epoch")), broken.messages().toString());

        assertTrue(client.testCompatibility("unborn-value", -1, NO_DEFAULT).compatible(), "nothing to break");
        assertThrows(VersionNotFoundException.class, () -> client.testCompatibility("check-value", 5, V2));
        assertEquals(List.of(1), client.versions("check-value"), "testing registers nothing");
    }

    @Test
    void invalidSchemasAreRejected() {
        // The client only sends Avro it parsed; a schema Avro accepts but the registry re-parses
        // strictly is rare, so send raw text through the round trip of the raw HTTP test instead.
        Schema badDefault = new Schema.Parser().setValidateDefaults(false).parse("""
                {"type":"record","name":"Bad","fields":[{"name":"n","type":"int","default":"text"}]}""");
        InvalidSchemaException e = assertThrows(InvalidSchemaException.class, () -> client.register("bad-value", badDefault));
        assertEquals(422, e.httpStatus());
        assertEquals(RegistryErrorCodes.INVALID_SCHEMA, e.errorCode());
    }

    @Test
    void subjectsWithSlashesAndSpacesStayOneSegment() {
        int id = client.register("team a/run events", V1);
        assertEquals(id, client.latest("team a/run events").id());
        assertTrue(client.subjects().contains("team a/run events"));
    }

    @Test
    void failsOverToTheNextUrlAndReportsWhenNoneAnswers() throws IOException {
        int dead = deadPort();
        try (SchemaRegistryClient failover = new RestSchemaRegistryClient("http://127.0.0.1:" + dead + "," + server.url())) {
            assertEquals(client.register("failover-value", V1), failover.register("failover-value", V1));
        }
        try (SchemaRegistryClient nowhere = new RestSchemaRegistryClient(new SchemaRegistryClientConfig(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + dead,
                SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)))) {
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> nowhere.schemaById(1));
            assertTrue(e.getMessage().contains("127.0.0.1:" + dead), e.getMessage());
        }
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
