package io.entrenar.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.entrenar.events.MetricBatch;
import io.entrenar.events.RunEvent;
import io.entrenar.registry.CachedSchemaRegistryClient;
import io.entrenar.registry.SchemaRegistryClient;
import io.entrenar.serde.AvroDeserializer;
import io.entrenar.serde.AvroSerdeConfig;
import io.entrenar.serde.AvroSerializer;
import io.entrenar.stack.EmbeddedStack;
import io.entrenar.stack.StackConfig;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our Confluent-framed serializer and deserializer against plain Avro binary encoding of the same
 * records. Ids come from a real embedded registry; after the first call they are cached, so the
 * difference is the framing, the cache lookups and the array copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "-Xmx1g"})
public class SerdeBenchmark {
    private static final String METRICS = "entrenar.metrics.v1";
    private static final String RUNS = "entrenar.runs.v1";

    @Param({"256"})
    int pointsPerBatch;

    private Path dataDir;
    private EmbeddedStack stack;
    private SchemaRegistryClient registry;
    private AvroSerializer<MetricBatch> batchSerializer;
    private AvroSerializer<RunEvent> runSerializer;
    private AvroDeserializer<MetricBatch> batchDeserializer;
    private AvroDeserializer<RunEvent> runDeserializer;

    private MetricBatch batch;
    private RunEvent run;
    private byte[] framedBatch;
    private byte[] framedRun;
    private byte[] plainBatch;
    private byte[] plainRun;

    private final SpecificDatumWriter<MetricBatch> plainBatchWriter = new SpecificDatumWriter<>(MetricBatch.class);
    private final SpecificDatumWriter<RunEvent> plainRunWriter = new SpecificDatumWriter<>(RunEvent.class);
    private final SpecificDatumReader<MetricBatch> plainBatchReader = new SpecificDatumReader<>(MetricBatch.class);
    private final SpecificDatumReader<RunEvent> plainRunReader = new SpecificDatumReader<>(RunEvent.class);
    private final ByteArrayOutputStream plainOut = new ByteArrayOutputStream(16 * 1024);
    private BinaryEncoder plainEncoder;
    private BinaryDecoder plainDecoder;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dataDir = Files.createTempDirectory("entrenar-bench-serde");
        stack = EmbeddedStack.start(new StackConfig(Map.of(StackConfig.DATA_DIR_CONFIG, dataDir.toString(),
                StackConfig.KAFKA_PORT_CONFIG, 0, StackConfig.REGISTRY_PORT_CONFIG, 0, "topics.partitions", 1)));
        Map<String, Object> configs = Map.of("schema.registry.url", stack.registryUrl(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        registry = CachedSchemaRegistryClient.fromConfigs(configs);
        batchSerializer = new AvroSerializer<>(registry, configs, false);
        runSerializer = new AvroSerializer<>(registry, configs, false);
        batchDeserializer = new AvroDeserializer<>(registry, configs, false);
        runDeserializer = new AvroDeserializer<>(registry, configs, false);
        batch = SampleEvents.metricBatch(pointsPerBatch);
        run = SampleEvents.runStarted();
        framedBatch = batchSerializer.serialize(METRICS, batch);
        framedRun = runSerializer.serialize(RUNS, run);
        plainBatch = plainSerializeMetricBatch();
        plainRun = plainSerializeRunStarted();
        batchDeserializer.deserialize(METRICS, framedBatch);
        runDeserializer.deserialize(RUNS, framedRun);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        registry.close();
        stack.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public byte[] confluentSerializeMetricBatch() {
        return batchSerializer.serialize(METRICS, batch);
    }

    @Benchmark
    public byte[] plainSerializeMetricBatch() throws IOException {
        plainOut.reset();
        plainEncoder = EncoderFactory.get().binaryEncoder(plainOut, plainEncoder);
        plainBatchWriter.write(batch, plainEncoder);
        plainEncoder.flush();
        return plainOut.toByteArray();
    }

    @Benchmark
    public MetricBatch confluentDeserializeMetricBatch() {
        return batchDeserializer.deserialize(METRICS, framedBatch);
    }

    @Benchmark
    public MetricBatch plainDeserializeMetricBatch() throws IOException {
        plainDecoder = DecoderFactory.get().binaryDecoder(plainBatch, plainDecoder);
        return plainBatchReader.read(null, plainDecoder);
    }

    @Benchmark
    public byte[] confluentSerializeRunStarted() {
        return runSerializer.serialize(RUNS, run);
    }

    @Benchmark
    public byte[] plainSerializeRunStarted() throws IOException {
        plainOut.reset();
        plainEncoder = EncoderFactory.get().binaryEncoder(plainOut, plainEncoder);
        plainRunWriter.write(run, plainEncoder);
        plainEncoder.flush();
        return plainOut.toByteArray();
    }

    @Benchmark
    public RunEvent confluentDeserializeRunStarted() {
        return runDeserializer.deserialize(RUNS, framedRun);
    }

    @Benchmark
    public RunEvent plainDeserializeRunStarted() throws IOException {
        plainDecoder = DecoderFactory.get().binaryDecoder(plainRun, plainDecoder);
        return plainRunReader.read(null, plainDecoder);
    }
}
