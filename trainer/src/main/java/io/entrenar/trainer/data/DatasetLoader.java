package io.entrenar.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import io.entrenar.trainer.config.TrainingConfig.DataSpec;
import io.entrenar.trainer.model.Rng;

/**
 * Loads the dataset a config names: sklearn's bundled real datasets (extracted by
 * {@code scripts/setup.sh} into {@code ~/.cache/entrenar/datasets}, or {@code $ENTRENAR_DATASETS}),
 * any CSV with a header row, or a seeded synthetic generator.
 */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /** Thrown for data that cannot be used; the message names the file and line. */
    public static final class DataException extends RuntimeException {
        public DataException(String message) {
            super(message);
        }
    }

    public static Path datasetDir() {
        String env = System.getenv("ENTRENAR_DATASETS");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "entrenar", "datasets");
    }

    public static Dataset load(DataSpec spec, long seed) {
        return switch (spec.source()) {
            case DIGITS -> sklearn("digits", "digits.csv.gz", false);
            case IRIS -> sklearn("iris", "iris.csv", true);
            case WINE -> sklearn("wine", "wine_data.csv", true);
            case BREAST_CANCER -> sklearn("breast_cancer", "breast_cancer.csv", true);
            case DIABETES -> diabetes();
            case CSV -> csv(spec.path(), spec.label());
            case SYNTHETIC -> synthetic(spec.samples(), spec.features(), spec.classes(), spec.noise(), seed);
        };
    }

    /**
     * sklearn's CSVs: iris, wine and breast_cancer start with a count line
     * {@code n_samples,n_features,class names...}; digits has no header (64 pixels then the digit).
     */
    static Dataset sklearn(String name, String file, boolean countLine) {
        Path path = datasetDir().resolve(file);
        List<String> lines = readLines(path);
        List<String> labels = new ArrayList<>();
        int start = 0;
        if (countLine) {
            String[] head = lines.get(0).split(",");
            labels.addAll(Arrays.asList(head).subList(2, head.length));
            start = 1;
        }
        int rows = lines.size() - start;
        double[][] x = new double[rows][];
        int[] y = new int[rows];
        int features = -1;
        for (int i = 0; i < rows; i++) {
            String[] cells = lines.get(i + start).split(",");
            if (features < 0) {
                features = cells.length - 1;
            } else if (cells.length - 1 != features) {
                throw new DataException(path + ":" + (i + start + 1) + ": expected " + (features + 1) + " values, got "
                        + cells.length);
            }
            x[i] = new double[features];
            for (int j = 0; j < features; j++) {
                x[i][j] = parse(cells[j], path, i + start + 1);
            }
            y[i] = (int) parse(cells[features], path, i + start + 1);
        }
        if (labels.isEmpty()) {
            int max = Arrays.stream(y).max().orElse(0);
            for (int c = 0; c <= max; c++) {
                labels.add(Integer.toString(c));
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            names.add(String.format(Locale.ROOT, "f%03d", j));
        }
        return new Dataset(name, x, y, names, labels);
    }

    /** sklearn's diabetes is a regression set: the label is whether progression is above the median. */
    static Dataset diabetes() {
        Path dataPath = datasetDir().resolve("diabetes_data_raw.csv.gz");
        Path targetPath = datasetDir().resolve("diabetes_target.csv.gz");
        List<String> data = readLines(dataPath);
        List<String> target = readLines(targetPath);
        if (data.size() != target.size()) {
            throw new DataException(dataPath + ": " + data.size() + " rows but " + targetPath + " has " + target.size());
        }
        double[] t = new double[target.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = parse(target.get(i).trim(), targetPath, i + 1);
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double[][] x = new double[data.size()][];
        int[] y = new int[data.size()];
        for (int i = 0; i < x.length; i++) {
            String[] cells = data.get(i).trim().split("\\s+");
            x[i] = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                x[i][j] = parse(cells[j], dataPath, i + 1);
            }
            y[i] = t[i] > median ? 1 : 0;
        }
        return new Dataset("diabetes", x, y, List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"),
                List.of("progression_low", "progression_high"));
    }

    /**
     * A CSV with a header row. Column types are inferred: numeric and true/false columns become
     * features, other text columns are one-hot encoded; the label column may be text or numbers.
     */
    static Dataset csv(Path path, String labelColumn) {
        List<String> lines = readLines(path);
        if (lines.isEmpty()) {
            throw new DataException(path + ": empty file");
        }
        List<String> header = splitCsv(lines.get(0));
        int labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0) {
            throw new DataException(path + ":1: no label column '" + labelColumn + "' in the header " + header
                    + io.entrenar.config.DidYouMean.suggest(labelColumn, header));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(lines.get(i));
            if (cells.size() != header.size()) {
                throw new DataException(path + ":" + (i + 1) + ": expected " + header.size() + " columns, got " + cells.size());
            }
            if (cells.get(labelIndex).isBlank()) {
                throw new DataException(path + ":" + (i + 1) + ": empty label in column '" + labelColumn + "'");
            }
            rows.add(cells);
        }
        if (rows.isEmpty()) {
            throw new DataException(path + ": header only, no rows");
        }
        List<String> names = new ArrayList<>();
        List<Map<String, Integer>> categories = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == labelIndex) {
                categories.add(null);
                continue;
            }
            boolean numeric = true;
            TreeSet<String> values = new TreeSet<>();
            for (List<String> r : rows) {
                String v = r.get(c).trim();
                values.add(v);
                numeric &= isNumber(v) || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
            }
            if (numeric) {
                categories.add(Map.of());
                names.add(header.get(c));
            } else {
                Map<String, Integer> oneHot = new LinkedHashMap<>();
                for (String v : values) {
                    oneHot.put(v, oneHot.size());
                    names.add(header.get(c) + "=" + v);
                }
                categories.add(oneHot);
            }
        }
        TreeSet<String> labelValues = new TreeSet<>();
        rows.forEach(r -> labelValues.add(r.get(labelIndex).trim()));
        List<String> labels = new ArrayList<>(labelValues);
        double[][] x = new double[rows.size()][names.size()];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            int j = 0;
            for (int c = 0; c < header.size(); c++) {
                Map<String, Integer> cat = categories.get(c);
                if (cat == null) {
                    continue;
                }
                String v = r.get(c).trim();
                if (cat.isEmpty()) {
                    x[i][j++] = v.equalsIgnoreCase("true") ? 1 : v.equalsIgnoreCase("false") ? 0 : Double.parseDouble(v);
                } else {
                    x[i][j + cat.get(v)] = 1;
                    j += cat.size();
                }
            }
            y[i] = labels.indexOf(r.get(labelIndex).trim());
        }
        return new Dataset(path.getFileName().toString(), x, y, names, labels);
    }

    /** Gaussian blobs: one random centre per class, unit-variance noise scaled by {@code noise}. */
    public static Dataset synthetic(int samples, int features, int classes, double noise, long seed) {
        Rng rng = new Rng(seed * 31 + 7);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) {
            for (int j = 0; j < features; j++) {
                c[j] = rng.nextGaussian() * 2;
            }
        }
        double[][] x = new double[samples][features];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            int c = i % classes;
            y[i] = c;
            for (int j = 0; j < features; j++) {
                x[i][j] = centres[c][j] + noise * rng.nextGaussian();
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            names.add(String.format(Locale.ROOT, "x%05d", j));
        }
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            labels.add("class_" + c);
        }
        return new Dataset("synthetic", x, y, names, labels);
    }

    private static List<String> readLines(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new DataException(path + ": not found; run ./entrenar setup (extracts sklearn's datasets into "
                    + datasetDir() + ")");
        }
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() || !lines.isEmpty()) {
                    lines.add(line);
                }
            }
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new DataException(path + ": cannot read: " + e.getMessage());
        }
    }

    private static double parse(String cell, Path path, int line) {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new DataException(path + ":" + line + ": not a number: '" + cell + "'");
        }
    }

    private static boolean isNumber(String v) {
        if (v.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits one CSV line; double-quoted cells may hold commas and doubled quotes. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
