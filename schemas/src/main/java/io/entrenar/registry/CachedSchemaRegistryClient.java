package io.entrenar.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * Remembers what never changes for a given input, so serializers and deserializers ask the
 * registry once per schema: id → schema, (subject, schema) → id and (subject, schema) → version.
 *
 * <p>A hit is two {@link ConcurrentHashMap#get} calls: no lock, and no allocation when the caller
 * passes the same {@link Schema} instance (its hash is cached, equality starts with identity).
 * Deletes invalidate the subject's entries, because re-registering after a delete must reach the
 * registry; everything else passes through.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistryClient delegate;
    private final int maxSchemasPerSubject;
    private final ConcurrentHashMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<Schema, RegisteredSchema>> versionsBySubject =
            new ConcurrentHashMap<>();

    public CachedSchemaRegistryClient(SchemaRegistryClient delegate, int maxSchemasPerSubject) {
        if (maxSchemasPerSubject < 1) {
            throw new IllegalArgumentException("maxSchemasPerSubject must be >= 1: " + maxSchemasPerSubject);
        }
        this.delegate = delegate;
        this.maxSchemasPerSubject = maxSchemasPerSubject;
    }

    /**
     * The client serializers use: a cached REST client configured from (a superset of) Kafka
     * serializer configs, e.g. {@code schema.registry.url}.
     */
    public static CachedSchemaRegistryClient fromConfigs(Map<String, ?> configs) {
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(configs);
        return new CachedSchemaRegistryClient(new RestSchemaRegistryClient(config), config.maxSchemasPerSubject());
    }

    @Override
    public int register(String subject, Schema schema) {
        ConcurrentHashMap<Schema, Integer> ids = idsBySubject.get(subject);
        if (ids != null) {
            Integer id = ids.get(schema);
            if (id != null) {
                return id;
            }
        }
        ids = room(idsBySubject, subject, schema);
        int id = delegate.register(subject, schema);
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema != null) {
            return schema;
        }
        schema = delegate.schemaById(id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        ConcurrentHashMap<Schema, RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions != null) {
            RegisteredSchema found = versions.get(schema);
            if (found != null) {
                return found;
            }
        }
        versions = room(versionsBySubject, subject, schema);
        RegisteredSchema found = delegate.lookup(subject, schema);
        versions.put(schema, found);
        room(idsBySubject, subject, schema).put(schema, found.id());
        schemasById.putIfAbsent(found.id(), found.schema());
        return found;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return remember(delegate.latest(subject));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return remember(delegate.version(subject, version));
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return delegate.versions(subject);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        try {
            return delegate.deleteSubject(subject, permanent);
        } finally {
            forget(subject);
        }
    }

    @Override
    public int deleteVersion(String subject, int version, boolean permanent) {
        try {
            return delegate.deleteVersion(subject, version, permanent);
        } finally {
            forget(subject);
        }
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, int version, Schema schema) {
        return delegate.testCompatibility(subject, version, schema);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return delegate.globalCompatibility();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        delegate.setGlobalCompatibility(level);
    }

    @Override
    public CompatibilityLevel subjectCompatibility(String subject) {
        return delegate.subjectCompatibility(subject);
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        delegate.setSubjectCompatibility(subject, level);
    }

    @Override
    public void deleteSubjectCompatibility(String subject) {
        delegate.deleteSubjectCompatibility(subject);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private RegisteredSchema remember(RegisteredSchema found) {
        schemasById.putIfAbsent(found.id(), found.schema());
        return found;
    }

    private void forget(String subject) {
        idsBySubject.remove(subject);
        versionsBySubject.remove(subject);
    }

    /**
     * The subject's map, checked to have room for {@code schema}. Like Confluent's client it
     * refuses rather than evicts: thousands of distinct schemas in one subject means a schema is
     * being built per record, and evicting would silently turn every send into an HTTP call.
     */
    private <V> ConcurrentHashMap<Schema, V> room(ConcurrentHashMap<String, ConcurrentHashMap<Schema, V>> bySubject,
                                                 String subject, Schema schema) {
        ConcurrentHashMap<Schema, V> map = bySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        if (map.size() >= maxSchemasPerSubject && !map.containsKey(schema)) {
            throw new IllegalStateException("Too many schema objects created for subject '" + subject + "': more than "
                    + SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG + "=" + maxSchemasPerSubject);
        }
        return map;
    }
}
