package io.entrenar.registry;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that serializers, deserializers and
 * operators use. Implementations throw {@link SchemaRegistryException} subclasses named after
 * Confluent's error codes.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (or finds it) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);

    /** The version of {@code subject} whose schema equals {@code schema}. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The newest live version of {@code subject}. */
    RegisteredSchema latest(String subject);

    /** One version of {@code subject}. */
    RegisteredSchema version(String subject, int version);

    List<String> subjects();

    List<Integer> versions(String subject);

    /** Deletes a subject (soft unless {@code permanent}); returns the versions deleted. */
    List<Integer> deleteSubject(String subject, boolean permanent);

    /** Deletes one version (soft unless {@code permanent}); returns it. */
    int deleteVersion(String subject, int version, boolean permanent);

    /** Whether {@code schema} could be registered under {@code subject} against {@code version} ("latest" = -1). */
    CompatibilityResult testCompatibility(String subject, int version, Schema schema);

    CompatibilityLevel globalCompatibility();

    void setGlobalCompatibility(CompatibilityLevel level);

    /** The subject's own level, or the global one when the subject has none. */
    CompatibilityLevel subjectCompatibility(String subject);

    void setSubjectCompatibility(String subject, CompatibilityLevel level);

    void deleteSubjectCompatibility(String subject);

    @Override
    void close();
}
