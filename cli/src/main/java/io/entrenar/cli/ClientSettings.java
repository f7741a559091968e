package io.entrenar.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.entrenar.config.ClientSecurity;
import io.entrenar.config.ConfigFile;
import io.entrenar.config.KafkaClients;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Option;

/**
 * The Kafka and registry client settings of a command that talks to the cluster itself ({@code topics},
 * {@code runs stop|pause|...}, {@code runs promote}): its servers and registry options plus the client
 * security keys every app takes ({@link ClientSecurity}), from {@code --client-config FILE} and
 * {@code ENTRENAR_<KEY>} variables. Without them the CLI could not reach a secured cluster at all.
 */
final class ClientSettings extends AbstractConfig {
    private static final ConfigDef CONFIG = ClientSecurity.define(new ConfigDef()
            .define("bootstrap.servers", ConfigDef.Type.STRING, "127.0.0.1:9092", ConfigDef.Importance.HIGH, "Kafka brokers.")
            .define("schema.registry.url", ConfigDef.Type.STRING, "http://127.0.0.1:8081", ConfigDef.Importance.HIGH, "Schema registry."));

    private final KafkaClients kafkaClients;

    private ClientSettings(Map<String, ?> settings) {
        super(CONFIG, settings, false);
        ClientSecurity.validate(this);
        this.kafkaClients = KafkaClients.of(this, "entrenar-cli"); // bad servers fail here, pointing at their option or line
    }

    /** The option that names the file; a mixin of the commands that connect. */
    static final class FileOption {
        @Option(names = "--client-config", paramLabel = "FILE", description = "Client security settings (key=value lines): "
                + "security.protocol, ssl.*, sasl.*, schema.registry.ssl.*, basic.auth.*, bearer.auth.*, as every app takes them; "
                + "ENTRENAR_<KEY> environment variables too (ENTRENAR_SASL_JAAS_CONFIG).")
        Path file;

        /** The settings for these servers and registry (null: the file's, the variables' or the defaults). */
        ClientSettings resolve(String bootstrapServers, String registryUrl) {
            Map<String, Object> options = new HashMap<>();
            options.put("bootstrap.servers", bootstrapServers);
            options.put("schema.registry.url", registryUrl);
            return ConfigFile.resolveConfig(file, CONFIG, Set.of(), options, ClientSettings::new);
        }
    }

    /** The CLI's Kafka clients ({@code entrenar-cli-*}): the servers and the security keys. */
    KafkaClients kafkaClients() {
        return kafkaClients;
    }

    /** The registry client's settings: URL, auth and TLS. */
    Map<String, Object> registryClientConfigs() {
        return ClientSecurity.registryClientConfigs(this);
    }
}
