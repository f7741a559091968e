package io.entrenar.stack.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.stack.registry.LogRecord.ConfigRecord;
import io.entrenar.stack.registry.LogRecord.ConfigRemoved;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRecord;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRemoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's contents in memory, changed only by applying records of the log. Applying is
 * idempotent (every record replaces what its key held), so replaying part of the log again after
 * a failed write is harmless. Queries return immutable snapshots.
 */
final class RegistryState {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

    private final CompatibilityLevel defaultLevel;
    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new HashMap<>();
    private final Map<Integer, ParsedSchema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    // How many versions (live or soft-deleted) use an id: a permanent delete frees it at zero.
    private final Map<Integer, Integer> usesById = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    RegistryState(CompatibilityLevel defaultLevel) {
        this.defaultLevel = defaultLevel;
    }

    synchronized void apply(LogRecord record) {
        switch (record) {
            case SchemaVersionRecord r -> putVersion(r);
            case SchemaVersionRemoved r -> removeVersion(r.subject(), r.version());
            case ConfigRecord r -> {
                if (r.subject() == null) {
                    globalLevel = r.level();
                } else {
                    subjectLevels.put(r.subject(), r.level());
                }
            }
            case ConfigRemoved r -> {
                if (r.subject() == null) {
                    globalLevel = null;
                } else {
                    subjectLevels.remove(r.subject());
                }
            }
        }
    }

    /** Every version of the subject, soft-deleted ones included, oldest first. */
    synchronized List<SchemaVersion> versions(String subject) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** Subjects with a live version, or with any version when {@code includeDeleted}; sorted. */
    synchronized List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(name);
            }
        });
        names.sort(null);
        return List.copyOf(names);
    }

    synchronized Optional<ParsedSchema> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The global id of a schema with this canonical text, registered under any subject. */
    synchronized OptionalInt idOf(String canonical) {
        Integer id = idsByCanonical.get(canonical);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The versions, across subjects, that use this id; sorted by subject, then version. */
    synchronized List<SchemaVersion> versionsUsing(int id) {
        List<SchemaVersion> found = new ArrayList<>();
        subjects.values().forEach(versions -> versions.values().stream().filter(v -> v.id() == id).forEach(found::add));
        found.sort((a, b) -> a.subject().equals(b.subject())
                ? Integer.compare(a.version(), b.version())
                : a.subject().compareTo(b.subject()));
        return List.copyOf(found);
    }

    /**
     * A fresh id, never handed out before in this process: ids of failed writes are burned, because
     * the write may have reached the log after all.
     */
    synchronized int reserveId() {
        return ++maxId;
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel != null ? globalLevel : defaultLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    private void putVersion(SchemaVersionRecord r) {
        ParsedSchema schema = schemasById.get(r.id());
        if (schema == null || !schema.canonical().equals(r.schema())) {
            try {
                schema = ParsedSchema.parse(r.schema());
            } catch (ApiError e) {
                LOG.warn("Skipping subject {} version {}: {}", r.subject(), r.version(), e.getMessage());
                return;
            }
        }
        SchemaVersion previous = subjects.computeIfAbsent(r.subject(), s -> new TreeMap<>())
                .put(r.version(), new SchemaVersion(r.subject(), r.version(), r.id(), schema, r.deleted()));
        if (previous != null) {
            release(previous.id());
        }
        usesById.merge(r.id(), 1, Integer::sum);
        schemasById.put(r.id(), schema);
        idsByCanonical.putIfAbsent(schema.canonical(), r.id());
        maxId = Math.max(maxId, r.id());
    }

    private void removeVersion(String subject, int version) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        SchemaVersion removed = versions == null ? null : versions.remove(version);
        if (removed == null) {
            return;
        }
        if (versions.isEmpty()) {
            subjects.remove(subject);
        }
        release(removed.id());
    }

    private void release(int id) {
        int left = usesById.merge(id, -1, Integer::sum);
        if (left <= 0) {
            usesById.remove(id);
            ParsedSchema gone = schemasById.remove(id);
            if (gone != null) {
                idsByCanonical.remove(gone.canonical(), id);
            }
        }
    }
}
