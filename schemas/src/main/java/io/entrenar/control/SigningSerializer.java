package io.entrenar.control;

import io.entrenar.schemas.Topic;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Wraps a value serializer: what goes to {@code entrenar.control.v1} leaves signed with
 * {@link ControlKeys}; every other topic is untouched. Producers and Kafka Streams hand their
 * headers to a serializer, so the one producer that writes several topics signs only commands.
 */
public final class SigningSerializer<T> implements Serializer<T> {
    private final Serializer<T> inner;
    private final ControlKeys keys;

    public SigningSerializer(Serializer<T> inner, ControlKeys keys) {
        this.inner = inner;
        this.keys = keys;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (Topic.CONTROL.topicName().equals(topic)) {
            throw new IllegalStateException("a control command needs headers for its signature; produce it with a "
                    + "producer that passes them (KafkaProducer and Kafka Streams do)");
        }
        return inner.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        byte[] bytes = inner.serialize(topic, headers, data);
        if (Topic.CONTROL.topicName().equals(topic) && data != null) {
            keys.sign(topic, bytes, headers);
        }
        return bytes;
    }

    @Override
    public void close() {
        inner.close();
    }
}
