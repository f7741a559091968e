package io.entrenar.trainer.data;

/**
 * Per-feature standardisation fitted on the training split only (so validation and test statistics
 * never leak into training); constant features are left centred, not divided by zero.
 */
public final class StandardScaler {
    private final double[] mean;
    private final double[] scale;

    private StandardScaler(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    public static StandardScaler fit(Dataset train) {
        int f = train.features();
        double[] mean = new double[f];
        double[] m2 = new double[f];
        int n = 0;
        for (double[] row : train.x()) {
            n++;
            for (int j = 0; j < f; j++) {
                double d = row[j] - mean[j];
                mean[j] += d / n;
                m2[j] += d * (row[j] - mean[j]);
            }
        }
        double[] scale = new double[f];
        for (int j = 0; j < f; j++) {
            double sd = n > 1 ? Math.sqrt(m2[j] / n) : 0;
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        return new StandardScaler(mean, scale);
    }

    /** Leaves rows unchanged (for configs with {@code scaling: none}). */
    public static StandardScaler identity(int features) {
        double[] scale = new double[features];
        java.util.Arrays.fill(scale, 1);
        return new StandardScaler(new double[features], scale);
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] scale() {
        return scale.clone();
    }

    /** Scales one raw row into a new array. */
    public double[] apply(double[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / scale[j];
        }
        return out;
    }

    /** Scales in place. */
    public Dataset apply(Dataset d) {
        for (double[] row : d.x()) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (row[j] - mean[j]) / scale[j];
            }
        }
        return d;
    }
}
