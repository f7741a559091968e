package io.entrenar.schemas;

import java.util.List;

import io.entrenar.events.MetricBatch;

/**
 * What makes a decoded {@link MetricBatch} usable: its point columns are equally long and every name
 * id points into its names. Avro decoding cannot say so (each column is a valid array on its own), so
 * every reader checks here before it indexes, and a batch that fails is a bad record (dead letter,
 * counter), never an exception on a consumer thread.
 */
public final class MetricBatchCheck {
    private MetricBatchCheck() {
    }

    /** Null when the batch is consistent, else what is wrong with it. */
    public static String problem(MetricBatch m) {
        List<Integer> ids = m.getNameIds();
        int n = m.getValues().size();
        if (ids.size() != n || m.getSteps().size() != n || m.getTimestampsMicros().size() != n) {
            return "MetricBatch " + m.getEventId() + " has columns of different lengths: name_ids " + ids.size() + ", steps "
                    + m.getSteps().size() + ", values " + n + ", timestamps " + m.getTimestampsMicros().size();
        }
        int names = m.getNames().size();
        for (int i = 0; i < n; i++) {
            int id = ids.get(i);
            if (id < 0 || id >= names) {
                return "MetricBatch " + m.getEventId() + " point " + i + " has name id " + id + " outside its " + names + " names";
            }
        }
        return null;
    }
}
