package io.entrenar.trainer.listen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes every event as one JSON object per line ({@code entrenar train --events FILE}). Step and
 * epoch lines are appended into one reused builder (no Jackson on the training thread); lifecycle
 * events go through Jackson. Non-finite numbers are written as the strings "NaN", "Infinity",
 * "-Infinity", since JSON has no literal for them. The file is flushed at the end of every epoch and
 * on every lifecycle event, so a crash loses at most the current epoch's step lines.
 */
public final class JsonLinesListener implements TrainingListener {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Writer out;
    private final boolean closeOut;
    private final StringBuilder line = new StringBuilder(256);

    private JsonLinesListener(Writer out, boolean closeOut) {
        this.out = out;
        this.closeOut = closeOut;
    }

    public static JsonLinesListener toFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new JsonLinesListener(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write events to " + file, e);
        }
    }

    /** Events to a stream that stays open after {@link #close()} (e.g. stdout). */
    public static JsonLinesListener toStream(OutputStream stream) {
        return new JsonLinesListener(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16),
                false);
    }

    @Override
    public RunListener runStarted(RunStart start) {
        ObjectNode node = event("run_started", start.runId());
        node.put("name", start.name());
        node.put("config_path", start.configPath());
        node.put("arch", start.arch());
        node.set("params", JSON.valueToTree(new java.util.TreeMap<>(start.params())));
        node.set("tags", JSON.valueToTree(new java.util.TreeMap<>(start.tags())));
        var parents = node.putArray("parents");
        for (LineageParent p : start.parents()) {
            parents.addObject().put("run_id", p.runId()).put("role", p.role().name());
        }
        node.put("dataset", start.datasetName());
        node.put("dataset_sha256", start.datasetSha256());
        node.put("seed", start.seed());
        node.put("sweep_id", start.sweepId());
        node.put("trial", start.trial());
        node.put("resumed_from_step", start.resumedFromStep());
        node.put("planned_steps", start.plannedSteps());
        writeNode(node, true);
        return new Run(start.runId());
    }

    @Override
    public void sweepStarted(SweepStart sweep) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", "sweep_started");
        node.put("ts_micros", nowMicros());
        node.put("sweep_id", sweep.sweepId());
        node.put("name", sweep.name());
        node.put("method", sweep.method());
        node.put("trials", sweep.trials());
        node.set("space", JSON.valueToTree(sweep.space()));
        writeNode(node, true);
    }

    @Override
    public void close() {
        try {
            if (closeOut) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Run implements RunListener {
        private final String runId;

        Run(String runId) {
            this.runId = runId;
        }

        @Override
        public void step(long step, int epoch, double loss, double learningRate, double gradientNorm) {
            StringBuilder b = begin("step", runId);
            b.append(",\"step\":").append(step).append(",\"epoch\":").append(epoch);
            number(b, "loss", loss);
            number(b, "lr", learningRate);
            number(b, "grad_norm", gradientNorm);
            b.append('}');
            end(b, false);
        }

        @Override
        public void epoch(int epoch, long step, double trainLoss, double validationLoss, double validationAccuracy,
                double validationMacroF1) {
            StringBuilder b = begin("epoch", runId);
            b.append(",\"epoch\":").append(epoch).append(",\"step\":").append(step);
            number(b, "train_loss", trainLoss);
            number(b, "val_loss", validationLoss);
            number(b, "val_accuracy", validationAccuracy);
            number(b, "val_macro_f1", validationMacroF1);
            b.append('}');
            end(b, true);
        }

        @Override
        public void checkpointWritten(Checkpoint c) {
            ObjectNode node = event("checkpoint", runId);
            node.put("path", c.path().toString()).put("step", c.step()).put("epoch", c.epoch())
                    .put("sha256", c.sha256()).put("size_bytes", c.sizeBytes());
            writeNode(node, true);
        }

        @Override
        public void artifactWritten(ModelArtifact a) {
            ObjectNode node = event("artifact", runId);
            node.put("name", a.name()).put("path", a.path().toString()).put("sha256", a.sha256())
                    .put("canonical_sha256", a.canonicalSha256()).put("size_bytes", a.sizeBytes())
                    .put("format", a.format());
            writeNode(node, true);
        }

        @Override
        public void finished(RunSummary s) {
            ObjectNode node = event("run_finished", runId);
            Map<String, Object> metrics = new LinkedHashMap<>();
            new java.util.TreeMap<>(s.metrics()).forEach((k, v) -> metrics.put(k, Double.isFinite(v) ? v : String.valueOf(v)));
            node.set("metrics", JSON.valueToTree(metrics));
            node.set("labels", JSON.valueToTree(s.labels()));
            node.set("confusion_matrix", JSON.valueToTree(s.confusionMatrix()));
            node.put("steps", s.steps()).put("epochs", s.epochs()).put("wall_millis", s.wallMillis());
            writeNode(node, true);
        }

        @Override
        public void failed(TrainingFailure f) {
            ObjectNode node = event("run_failed", runId);
            node.put("error_code", f.errorCode()).put("category", f.category().name().toLowerCase(java.util.Locale.ROOT))
                    .put("diagnostic", f.diagnostic()).put("remediation", f.remediation()).put("stack", f.stack())
                    .put("step", f.step()).put("epoch", f.epoch());
            writeNode(node, true);
        }

        @Override
        public void stopped(RunStop stop) {
            ObjectNode node = event("run_stopped", runId);
            node.put("reason", stop.reason()).put("step", stop.step()).put("epoch", stop.epoch())
                    .put("checkpoint", stop.checkpoint() == null ? null : stop.checkpoint().path().toString());
            writeNode(node, true);
        }

        @Override
        public void controlled(ControlEvent e) {
            ObjectNode node = event(e.kind().name().toLowerCase(java.util.Locale.ROOT), runId);
            node.put("step", e.step()).put("epoch", e.epoch());
            if (e.gate() != null) {
                node.put("gate", e.gate());
            }
            writeNode(node, true);
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private StringBuilder begin(String event, String runId) {
        StringBuilder b = line;
        b.setLength(0);
        b.append("{\"event\":\"").append(event).append("\",\"ts_micros\":").append(nowMicros())
                .append(",\"run_id\":\"").append(runId).append('"');
        return b;
    }

    private static void number(StringBuilder b, String name, double value) {
        b.append(",\"").append(name).append("\":");
        if (Double.isFinite(value)) {
            b.append(value);
        } else {
            b.append('"').append(value).append('"');
        }
    }

    /** Writes one complete JSON object as a line. */
    private void end(StringBuilder b, boolean flush) {
        b.append('\n');
        try {
            out.append(b);
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode event(String event, String runId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", event);
        node.put("ts_micros", nowMicros());
        node.put("run_id", runId);
        return node;
    }

    private void writeNode(ObjectNode node, boolean flush) {
        try {
            line.setLength(0);
            line.append(JSON.writeValueAsString(node));
            end(line, flush);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
