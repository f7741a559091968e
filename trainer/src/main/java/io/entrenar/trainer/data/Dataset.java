package io.entrenar.trainer.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A classification dataset in memory: row-major features, class indices, and names.
 *
 * @param labels class names, index = class id
 */
public record Dataset(String name, double[][] x, int[] y, List<String> featureNames, List<String> labels) {
    public Dataset {
        featureNames = List.copyOf(featureNames);
        labels = List.copyOf(labels);
        if (x.length != y.length) {
            throw new IllegalArgumentException("rows " + x.length + " != labels " + y.length);
        }
    }

    public int rows() {
        return x.length;
    }

    public int features() {
        return featureNames.size();
    }

    public int classes() {
        return labels.size();
    }

    public Dataset subset(int[] rows) {
        double[][] sx = new double[rows.length][];
        int[] sy = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            sx[i] = x[rows[i]].clone();
            sy[i] = y[rows[i]];
        }
        return new Dataset(name, sx, sy, featureNames, labels);
    }

    /** sha256 over the exact values and labels, in row order: what the run trained on. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(8 * Math.max(1, features()) + 4);
            for (int i = 0; i < x.length; i++) {
                buf.clear();
                for (double v : x[i]) {
                    buf.putLong(Double.doubleToLongBits(v));
                }
                buf.putInt(y[i]);
                md.update(buf.array(), 0, buf.position());
            }
            labels.forEach(l -> md.update(l.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int[] classCounts() {
        int[] counts = new int[classes()];
        for (int label : y) {
            counts[label]++;
        }
        return counts;
    }
}
