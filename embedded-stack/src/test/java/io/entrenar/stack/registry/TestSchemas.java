package io.entrenar.stack.registry;

import org.apache.avro.Schema;

/** Avro schemas the registry tests evolve: v1, a BACKWARD-compatible v2, and two breaking changes. */
final class TestSchemas {
    static final String V1_JSON = """
            {"type":"record","name":"Run","namespace":"io.entrenar.test","fields":[{"name":"id","type":"string"}]}""";
    static final String V2_JSON = """
            {"type":"record","name":"Run","namespace":"io.entrenar.test","fields":[{"name":"id","type":"string"},
             {"name":"loss","type":"double","default":0.0}]}""";
    /** A new field without a default: the new schema cannot read old data. */
    static final String NO_DEFAULT_JSON = """
            {"type":"record","name":"Run","namespace":"io.entrenar.test","fields":[{"name":"id","type":"string"},
             {"name":"epoch","type":"int"}]}""";
    /** string → int: not a promotion Avro allows. */
    static final String TYPE_CHANGE_JSON = """
            {"type":"record","name":"Run","namespace":"io.entrenar.test","fields":[{"name":"id","type":"int"}]}""";

    static final Schema V1 = parse(V1_JSON);
    static final Schema V2 = parse(V2_JSON);
    static final Schema NO_DEFAULT = parse(NO_DEFAULT_JSON);
    static final Schema TYPE_CHANGE = parse(TYPE_CHANGE_JSON);

    private TestSchemas() {
    }

    static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    /** A schema distinct per {@code tag}, to get a fresh global id. */
    static Schema unique(String tag) {
        return parse("{\"type\":\"record\",\"name\":\"U_" + tag + "\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}");
    }

    /** {@link #unique} plus a field with a default: a BACKWARD-compatible next version of it. */
    static Schema uniqueEvolved(String tag) {
        return parse("{\"type\":\"record\",\"name\":\"U_" + tag + "\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"},"
                + "{\"name\":\"y\",\"type\":\"int\",\"default\":1}]}");
    }
}
