package io.entrenar.mlflow;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrenar.events.ExperimentDefined;
import io.entrenar.events.LifecycleStage;

/** MLflow's entities as its REST API writes them (protobuf JSON: int64 as numbers, NaN and infinities as strings). */
final class MlflowJson {
    /** Jackson's fast double parser: log-batch reads a thousand doubles a call (half its time with the JDK's parser). */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    static final String DATASET_TAG_PREFIX = "entrenar.input.";

    private MlflowJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode experiment(ExperimentDefined e) {
        ObjectNode o = object();
        o.put("experiment_id", e.getRunId());
        o.put("name", e.getName());
        o.put("artifact_location", e.getArtifactLocation());
        o.put("lifecycle_stage", e.getLifecycleStage() == LifecycleStage.ACTIVE ? "active" : "deleted");
        o.put("last_update_time", e.getTsMicros().toEpochMilli());
        o.put("creation_time", e.getCreatedAtMicros().toEpochMilli());
        ArrayNode tags = o.putArray("tags");
        e.getTags().forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
        return o;
    }

    static ObjectNode runInfo(RunRecord r) {
        ObjectNode info = object();
        info.put("run_id", r.runId());
        info.put("run_uuid", r.runId());
        info.put("run_name", r.displayName());
        info.put("experiment_id", r.experimentId());
        info.put("user_id", r.userId());
        info.put("status", r.status());
        info.put("start_time", r.startTime());
        if (r.endTime() != null) {
            info.put("end_time", r.endTime());
        }
        info.put("artifact_uri", Artifacts.runUri(r.experimentId(), r.runId()));
        info.put("lifecycle_stage", r.lifecycleStage());
        return info;
    }

    static ObjectNode run(RunRecord r) {
        ObjectNode run = object();
        run.set("info", runInfo(r));
        ObjectNode data = run.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        r.metrics().forEach(m -> metrics.add(metric(m)));
        ArrayNode params = data.putArray("params");
        r.params().forEach((k, v) -> params.addObject().put("key", k).put("value", v));
        ArrayNode tags = data.putArray("tags");
        ArrayNode datasets = MAPPER.createArrayNode();
        for (Map.Entry<String, String> t : r.tags().entrySet()) {
            if (t.getKey().startsWith(DATASET_TAG_PREFIX)) {
                try {
                    datasets.add(MAPPER.readTree(t.getValue()));
                } catch (Exception e) {
                    // a hand-set tag under our prefix is shown as a tag
                    tags.addObject().put("key", t.getKey()).put("value", t.getValue());
                }
            } else {
                tags.addObject().put("key", t.getKey()).put("value", t.getValue());
            }
        }
        run.putObject("inputs").set("dataset_inputs", datasets);
        return run;
    }

    static ObjectNode metric(RunRecord.LatestMetric m) {
        ObjectNode o = object();
        o.put("key", m.key());
        double v = m.value();
        if (Double.isNaN(v)) {
            o.put("value", "NaN");
        } else if (Double.isInfinite(v)) {
            o.put("value", v > 0 ? "Infinity" : "-Infinity");
        } else {
            o.put("value", v);
        }
        o.put("timestamp", m.timestamp());
        o.put("step", m.step());
        return o;
    }

    /** {@code text} as a JSON string literal, quotes included. */
    static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] error(String code, String message) {
        return bytes(object().put("error_code", code).put("message", message));
    }
}
