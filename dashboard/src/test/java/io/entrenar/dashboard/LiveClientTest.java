package io.entrenar.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.entrenar.events.MetricBatch;
import org.junit.jupiter.api.Test;

class LiveClientTest {

    @Test
    void thinningKeepsTheNewestPointAndSpacesEvenly() {
        assertArrayEquals(new int[] {0, 1, 2}, LiveClient.PointBuffer.pick(3, 5));
        assertArrayEquals(new int[] {2, 4, 5, 7, 9}, LiveClient.PointBuffer.pick(10, 5));
        int[] big = LiveClient.PointBuffer.pick(100_000, 200);
        assertEquals(200, big.length);
        assertEquals(99_999, big[199]);
        for (int i = 1; i < big.length; i++) {
            assertTrue(big[i] > big[i - 1]);
        }
    }

    @Test
    void aBufferStaysBoundedHoweverFastPointsArrive() {
        LiveClient.PointBuffer buffer = new LiveClient.PointBuffer(50);
        for (int i = 0; i < 1_000_000; i++) {
            buffer.add(i, i, i);
        }
        assertTrue(buffer.size() <= 200, "size " + buffer.size());
        StringBuilder b = new StringBuilder();
        buffer.writeThinned(b, 50);
        assertTrue(b.toString().contains("999999]"), "the newest point survives: " + b);
    }

    @Test
    void oneMessagePerFlushWithNonFiniteValuesAsNull() throws Exception {
        LiveClient client = new LiveClient(10, 100);
        client.points(batch("r1", List.of(0L, 1L, 2L), List.of(1.0, Double.NaN, 0.5)));
        client.points(batch("r1", List.of(3L), List.of(0.25)));
        client.alert("r1", "{\"incident_id\":\"i1\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                client.stream(out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        client.close();
        writer.join(5000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("retry: 1000\n\n"), text);
        assertTrue(text.contains("event: alert\ndata: {\"incident_id\":\"i1\"}\n\n"), text);
        assertEquals(1, text.split("event: points").length - 1, "coalesced into one message: " + text);
        assertTrue(text.contains("\"loss\":{\"steps\":[0,1,2,3],\"values\":[1,null,0.5,0.25],\"ms\":[0,1,2,3]}"), text);
    }

    private static MetricBatch batch(String run, List<Long> steps, List<Double> values) {
        List<Integer> ids = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        for (Long s : steps) {
            ids.add(0);
            ts.add(s * 1000);
        }
        return MetricBatch.newBuilder().setEventId("e").setRunId(run).setTsMicros(Instant.now()).setLamport(1)
                .setProducerId("p").setSequence(1).setNames(List.of("loss")).setNameIds(ids).setSteps(steps).setValues(values)
                .setTimestampsMicros(ts).build();
    }
}
