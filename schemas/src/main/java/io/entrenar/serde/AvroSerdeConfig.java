package io.entrenar.serde;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of {@link AvroSerializer} and {@link AvroDeserializer}, named like Confluent's so that
 * existing client configurations carry over. Registry connection keys
 * ({@code schema.registry.url}, {@code basic.auth.*}) are validated by the registry client.
 */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Register the record's schema under its subject on first "
            + "use. When false, the schema must already be registered (looked up), or see use.latest.version.";

    public static final String USE_LATEST_VERSION = "use.latest.version";
    private static final String USE_LATEST_VERSION_DOC = "Serialize with the subject's latest registered schema "
            + "instead of the record's own; requires auto.register.schemas=false.";

    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    private static final String SPECIFIC_AVRO_READER_DOC = "Deserialize into the generated classes (resolving the "
            + "writer schema against the class's schema) instead of GenericRecord.";

    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    private static final String SUBJECT_NAME_STRATEGY_DOC = "TopicNameStrategy (<topic>-key / <topic>-value), "
            + "RecordNameStrategy or TopicRecordNameStrategy; Confluent's class names are accepted too.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM, SPECIFIC_AVRO_READER_DOC)
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, "TopicNameStrategy", Importance.LOW, SUBJECT_NAME_STRATEGY_DOC)
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, "TopicNameStrategy", Importance.LOW, SUBJECT_NAME_STRATEGY_DOC);

    private final SubjectNameStrategy keyStrategy;
    private final SubjectNameStrategy valueStrategy;

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        keyStrategy = SubjectNameStrategy.parse(KEY_SUBJECT_NAME_STRATEGY, getString(KEY_SUBJECT_NAME_STRATEGY));
        valueStrategy = SubjectNameStrategy.parse(VALUE_SUBJECT_NAME_STRATEGY, getString(VALUE_SUBJECT_NAME_STRATEGY));
        if (autoRegister() && useLatestVersion()) {
            throw new ConfigException(USE_LATEST_VERSION + "=true requires " + AUTO_REGISTER_SCHEMAS + "=false");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean specificReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keyStrategy : valueStrategy;
    }
}
