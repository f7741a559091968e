package io.entrenar.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker and KRaft controller in this JVM (one node, combined roles).
 *
 * <p>The log directory is formatted on first start and reused afterwards, so topics and offsets
 * survive a restart. Replication factors are 1 because there is one node.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String saslBootstrapServers;
    private final Path logDir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, String saslBootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.saslBootstrapServers = saslBootstrapServers;
        this.logDir = logDir;
    }

    /**
     * Formats {@code logDir} if it is new and starts the broker.
     *
     * @param port broker port on {@code host}; 0 picks a free one
     */
    public static EmbeddedKafka start(Path logDir, String host, int port) {
        return start(logDir, host, port, java.util.Map.of());
    }

    /**
     * As {@link #start(Path, String, int)}, plus a second listener that requires SASL/PLAIN
     * authentication ({@link #saslBootstrapServers()}) when {@code saslPlainUsers} (user to
     * password) is not empty: how clients are tested against a secured cluster.
     */
    public static EmbeddedKafka start(Path logDir, String host, int port, java.util.Map<String, String> saslPlainUsers) {
        try {
            Files.createDirectories(logDir);
            int brokerPort = port == 0 ? freePort(host) : port;
            int controllerPort = freePort(host);
            Properties props = brokerProperties(logDir, host, brokerPort, controllerPort);
            String sasl = null;
            if (!saslPlainUsers.isEmpty()) {
                int saslPort = freePort(host);
                sasl = host + ":" + saslPort;
                props.put("listeners", props.get("listeners") + ",SASL_PLAINTEXT://" + sasl);
                props.put("advertised.listeners", props.get("advertised.listeners") + ",SASL_PLAINTEXT://" + sasl);
                props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
                props.put("sasl.enabled.mechanisms", "PLAIN");
                StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                saslPlainUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
                props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
            }
            format(logDir);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(server, host + ":" + brokerPort, sasl, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker in " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code host:port} of the SASL_PLAINTEXT listener, or null when there is none. */
    public String saslBootstrapServers() {
        return saslBootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path logDir, String host, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and fewer partitions start faster on 2 cores.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "8");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "8");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        // The topic catalogue creates every topic with its settings; a typo must not create a new one.
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(Path logDir) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return; // formatted before: a restart keeps the cluster and its data
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }
}
