package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.entrenar.events.MetricBatch;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class MetricBatchEncoderTest {

    @Test
    void bytesAreIdenticalToTheGeneratedClassEncoding() throws Exception {
        MetricNames names = new MetricNames(100);
        int loss = names.idOf("loss");
        int acc = names.idOf("val/acc");
        int other = names.idOf("unused");
        int n = 1000;
        int[] ids = new int[n];
        long[] steps = new long[n];
        double[] values = new double[n];
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i % 3 == 0 ? acc : loss;
            steps[i] = i * 1_000_003L - 5;
            values[i] = i == 7 ? Double.NaN : i == 8 ? Double.NEGATIVE_INFINITY : i == 9 ? -0.0 : Math.sin(i) * 1e300;
            ts[i] = 1_760_000_000_000_000L + i;
        }
        long[] points = new long[n * PointSlots.LONGS];
        for (int i = 0; i < n; i++) {
            PointSlots.write(points, i, 3, ids[i], steps[i], values[i], ts[i]);
        }
        MetricBatchEncoder encoder = new MetricBatchEncoder();
        for (int count : new int[] {0, 1, n}) {
            byte[] ours = encoder.encode("e-" + count, "run-é", 1_760_000_000_123_456L, 42L + count, "host:1", count,
                    names, points, count);
            List<String> dict = new ArrayList<>();
            List<Integer> local = new ArrayList<>();
            List<Long> s = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            List<Long> t = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = names.name(ids[i]);
                if (!dict.contains(name)) {
                    dict.add(name);
                }
                local.add(dict.indexOf(name));
                s.add(steps[i]);
                v.add(values[i]);
                t.add(ts[i]);
            }
            MetricBatch mb = MetricBatch.newBuilder().setEventId("e-" + count).setRunId("run-é")
                    .setTsMicros(Instant.ofEpochSecond(1_760_000_000L, 123_456_000L)).setLamport(42L + count)
                    .setProducerId("host:1").setSequence(count).setNames(dict).setNameIds(local).setSteps(s).setValues(v)
                    .setTimestampsMicros(t).build();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<MetricBatch>(MetricBatch.class).write(mb, enc);
            enc.flush();
            assertArrayEquals(out.toByteArray(), ours, "batch of " + count);
        }
        assertArrayEquals(new int[] {other}, new int[] {names.idOf("unused")});
    }

    @Test
    void bulkVarintsMatchAvrosEncoderAtEveryLengthBoundary() throws Exception {
        List<Long> cases = new ArrayList<>(List.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 1_760_000_000_123_456L));
        for (int bits = 1; bits < 64; bits++) {
            long p = 1L << bits;
            cases.addAll(List.of(p - 1, p, p + 1, -p, -p - 1, -p + 1));
        }
        long[] longs = cases.stream().mapToLong(Long::longValue).toArray();
        int[] ints = cases.stream().mapToInt(Long::intValue).toArray();
        double[] doubles = cases.stream().mapToDouble(v -> Double.longBitsToDouble(v)).toArray();
        // the columns as the encoder reads them: every third long, from an offset
        long[] rows = new long[longs.length * 3];
        for (int i = 0; i < longs.length; i++) {
            rows[i * 3 + 1] = longs[i];
            rows[i * 3 + 2] = Double.doubleToRawLongBits(doubles[i]);
        }

        AvroBuffer ours = new AvroBuffer(1); // grows: the slack rule is exercised from the first write
        ours.writeLongs(rows, 1, 3, longs.length);
        ours.writeInts(ints, ints.length);
        ours.writeRawLongs(rows, 2, 3, doubles.length);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder avro = EncoderFactory.get().binaryEncoder(out, null);
        for (long v : longs) {
            avro.writeLong(v);
        }
        for (int v : ints) {
            avro.writeInt(v);
        }
        for (double v : doubles) {
            avro.writeDouble(v);
        }
        avro.flush();
        assertArrayEquals(out.toByteArray(), ours.toByteArray());
    }
}
