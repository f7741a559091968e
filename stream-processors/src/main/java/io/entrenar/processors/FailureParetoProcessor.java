package io.entrenar.processors;

import io.entrenar.events.Failure;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Running failure counts per (error code, category) for the failure Pareto of spec 20.3. All
 * failures meet on one partition (one key), so the counts are global; they are read through the
 * app's HTTP endpoint ({@code /failures/pareto}), which computes shares and the cumulative share.
 */
final class FailureParetoProcessor implements Processor<String, SpecificRecord, Void, Void> {
    static final String STORE = "failure-pareto";

    private KeyValueStore<String, Long> counts;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.counts = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof Failure f) {
            String key = StoreKeys.of(f.getErrorCode(), f.getCategory().name());
            Long n = counts.get(key);
            counts.put(key, n == null ? 1L : n + 1);
        }
    }
}
