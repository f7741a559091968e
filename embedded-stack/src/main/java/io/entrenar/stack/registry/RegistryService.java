package io.entrenar.stack.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.entrenar.registry.AvroCompatibility;
import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.registry.CompatibilityResult;
import io.entrenar.stack.registry.LogRecord.ConfigRecord;
import io.entrenar.stack.registry.LogRecord.ConfigRemoved;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRecord;
import io.entrenar.stack.registry.LogRecord.SchemaVersionRemoved;
import org.apache.avro.Schema;

/**
 * The registry's operations with Confluent's semantics: global ids shared by equal schemas,
 * compatibility enforced on register, soft then permanent deletes. Reads go to the in-memory
 * state; each write checks and appends under one lock, so checks never race with other writes.
 */
final class RegistryService {
    private final RegistryState state;
    private final SchemaLog log;
    private final ReentrantLock writeLock = new ReentrantLock();

    RegistryService(RegistryState state, SchemaLog log) {
        this.state = state;
        this.log = log;
    }

    /** @return the schema's global id: the existing one when the subject already has it live */
    int register(String subject, String schemaText) {
        validateSubject(subject);
        ParsedSchema candidate = ParsedSchema.parse(schemaText);
        return locked(() -> {
            List<SchemaVersion> all = state.versions(subject);
            for (SchemaVersion v : all) {
                if (!v.deleted() && v.schema().canonical().equals(candidate.canonical())) {
                    return v.id();
                }
            }
            CompatibilityResult result = AvroCompatibility.check(effectiveLevel(subject), candidate.schema(),
                    schemas(live(all)));
            if (!result.compatible()) {
                throw ApiError.incompatible(subject, result.messages());
            }
            int id = state.idOf(candidate.canonical()).orElseGet(state::reserveId);
            int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            log.append(new SchemaVersionRecord(subject, version, id, candidate.canonical(), false));
            return id;
        });
    }

    /** The newest version of the subject holding this schema. */
    SchemaVersion lookup(String subject, String schemaText, boolean includeDeleted) {
        ParsedSchema candidate = ParsedSchema.parse(schemaText);
        List<SchemaVersion> visible = visible(subject, includeDeleted);
        for (int i = visible.size() - 1; i >= 0; i--) {
            if (visible.get(i).schema().canonical().equals(candidate.canonical())) {
                return visible.get(i);
            }
        }
        throw ApiError.schemaNotFound();
    }

    ParsedSchema schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> ApiError.schemaNotFound(id));
    }

    List<SchemaVersion> versionsUsing(int id, boolean includeDeleted) {
        schemaById(id);
        return state.versionsUsing(id).stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        return visible(subject, includeDeleted).stream().map(SchemaVersion::version).toList();
    }

    SchemaVersion version(String subject, VersionRef ref, boolean includeDeleted) {
        List<SchemaVersion> visible = visible(subject, includeDeleted);
        if (ref.latest()) {
            return visible.get(visible.size() - 1);
        }
        return visible.stream().filter(v -> v.version() == ref.number()).findFirst()
                .orElseThrow(() -> ApiError.versionNotFound(ref.number()));
    }

    /** Soft delete hides the subject's live versions; permanent delete removes soft-deleted ones. */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        return locked(() -> {
            List<SchemaVersion> all = state.versions(subject);
            if (all.isEmpty()) {
                throw ApiError.subjectNotFound(subject);
            }
            List<SchemaVersion> live = live(all);
            List<Integer> deleted = new ArrayList<>();
            if (!permanent) {
                if (live.isEmpty()) {
                    throw ApiError.subjectSoftDeleted(subject);
                }
                for (SchemaVersion v : live) {
                    log.append(new SchemaVersionRecord(subject, v.version(), v.id(), v.schema().canonical(), true));
                    deleted.add(v.version());
                }
                return deleted;
            }
            if (!live.isEmpty()) {
                throw ApiError.subjectNotSoftDeleted(subject);
            }
            for (SchemaVersion v : all) {
                log.append(new SchemaVersionRemoved(subject, v.version()));
                deleted.add(v.version());
            }
            if (state.subjectLevel(subject).isPresent()) {
                log.append(new ConfigRemoved(subject));
            }
            return deleted;
        });
    }

    int deleteVersion(String subject, VersionRef ref, boolean permanent) {
        return locked(() -> {
            List<SchemaVersion> all = state.versions(subject);
            if (all.isEmpty()) {
                throw ApiError.subjectNotFound(subject);
            }
            // "latest" means the newest live version; permanently, the newest soft-deleted one.
            List<SchemaVersion> candidates = ref.latest() && !permanent ? live(all) : all;
            SchemaVersion target = ref.latest()
                    ? (candidates.isEmpty() ? null : candidates.get(candidates.size() - 1))
                    : all.stream().filter(v -> v.version() == ref.number()).findFirst().orElse(null);
            if (target == null) {
                throw ApiError.versionNotFound(ref.number());
            }
            if (!permanent) {
                if (target.deleted()) {
                    throw ApiError.versionSoftDeleted(subject, target.version());
                }
                log.append(new SchemaVersionRecord(subject, target.version(), target.id(), target.schema().canonical(), true));
            } else {
                if (!target.deleted()) {
                    throw ApiError.versionNotSoftDeleted(subject, target.version());
                }
                log.append(new SchemaVersionRemoved(subject, target.version()));
            }
            return target.version();
        });
    }

    /**
     * @param ref the version to test against; null for all live versions as the subject's level says
     */
    CompatibilityResult testCompatibility(String subject, VersionRef ref, String schemaText) {
        ParsedSchema candidate = ParsedSchema.parse(schemaText);
        List<SchemaVersion> live = live(state.versions(subject));
        List<SchemaVersion> against;
        if (ref == null) {
            against = live;
        } else if (ref.latest()) {
            against = live.isEmpty() ? List.of() : List.of(live.get(live.size() - 1));
        } else {
            against = List.of(version(subject, ref, false));
        }
        return AvroCompatibility.check(effectiveLevel(subject), candidate.schema(), schemas(against));
    }

    CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    void setGlobalLevel(CompatibilityLevel level) {
        locked(() -> log.append(new ConfigRecord(null, level)));
    }

    /** Reverts the global level to the configured default; returns the level it had. */
    CompatibilityLevel deleteGlobalLevel() {
        return locked(() -> {
            CompatibilityLevel previous = state.globalLevel();
            log.append(new ConfigRemoved(null));
            return previous;
        });
    }

    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = state.subjectLevel(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return state.globalLevel();
        }
        throw ApiError.subjectCompatibilityNotConfigured(subject);
    }

    void setSubjectLevel(String subject, CompatibilityLevel level) {
        validateSubject(subject);
        locked(() -> log.append(new ConfigRecord(subject, level)));
    }

    /** Removes the subject's own level; returns it. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        return locked(() -> {
            CompatibilityLevel own = state.subjectLevel(subject).orElseThrow(() -> ApiError.subjectNotFound(subject));
            log.append(new ConfigRemoved(subject));
            return own;
        });
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return state.subjectLevel(subject).orElseGet(state::globalLevel);
    }

    /** The subject's versions a reader may see; throws 40401 when there are none. */
    private List<SchemaVersion> visible(String subject, boolean includeDeleted) {
        List<SchemaVersion> all = state.versions(subject);
        List<SchemaVersion> visible = includeDeleted ? all : live(all);
        if (visible.isEmpty()) {
            throw ApiError.subjectNotFound(subject);
        }
        return visible;
    }

    private static List<SchemaVersion> live(List<SchemaVersion> versions) {
        return versions.stream().filter(v -> !v.deleted()).toList();
    }

    private static List<Schema> schemas(List<SchemaVersion> versions) {
        return versions.stream().map(v -> v.schema().schema()).toList();
    }

    private static void validateSubject(String subject) {
        if (subject.isEmpty() || subject.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.invalidSubject(subject);
        }
    }

    private <T> T locked(Supplier<T> write) {
        writeLock.lock();
        try {
            return write.get();
        } finally {
            writeLock.unlock();
        }
    }

    private void locked(Runnable write) {
        locked(() -> {
            write.run();
            return null;
        });
    }
}
