package io.entrenar.stack.registry;

import java.util.Map;

import io.entrenar.stack.SharedStack;

/** Registry servers of the tests share the suite's broker, each on a schemas topic of its own. */
final class RegistryTestServers {
    private RegistryTestServers() {
    }

    static Map<String, Object> config(String topic) {
        return Map.of(
                SchemaRegistryServerConfig.LISTENERS_CONFIG, "http://127.0.0.1:0",
                SchemaRegistryServerConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, SharedStack.stack().bootstrapServers(),
                SchemaRegistryServerConfig.KAFKASTORE_TOPIC_CONFIG, topic);
    }
}
