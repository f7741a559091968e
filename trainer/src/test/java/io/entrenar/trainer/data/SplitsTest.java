package io.entrenar.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SplitsTest {

    /** A dataset whose first feature is the row's index, so that splits can be checked for leaks. */
    private static Dataset indexed(int[] y, int classes) {
        double[][] x = new double[y.length][2];
        for (int i = 0; i < y.length; i++) {
            x[i][0] = i;
            x[i][1] = y[i] * 10 + (i % 7);
        }
        List<String> labels = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            labels.add("c" + c);
        }
        return new Dataset("indexed", x, y, List.of("id", "v"), labels);
    }

    @Test
    void stratifiedSplitsKeepClassProportionsAndNeverShareRows() {
        Dataset digits = DatasetLoader.sklearn("digits", "digits.csv.gz", false);
        assertEquals(1797, digits.rows());
        assertEquals(64, digits.features());
        assertEquals(10, digits.classes());
        int[] y = digits.y();
        Splits s = Splits.split(indexed(y, 10), 0.15, 0.15, true, 42);
        assertEquals(1797, s.train().rows() + s.validation().rows() + s.test().rows());
        Set<Double> seen = new HashSet<>();
        for (Dataset d : List.of(s.train(), s.validation(), s.test())) {
            for (double[] row : d.x()) {
                assertTrue(seen.add(row[0]), "row " + row[0] + " appears in two splits");
            }
        }
        double[] whole = proportions(digits.classCounts(), digits.rows());
        for (Dataset d : List.of(s.train(), s.validation(), s.test())) {
            double[] p = proportions(d.classCounts(), d.rows());
            for (int c = 0; c < 10; c++) {
                assertTrue(Math.abs(p[c] - whole[c]) < 0.01, "class " + c + ": " + p[c] + " vs " + whole[c]);
            }
        }
    }

    @Test
    void rareClassesReachEverySplit() {
        int[] y = new int[200];
        for (int i = 0; i < 6; i++) {
            y[i * 30] = 1;
        }
        Splits s = Splits.split(indexed(y, 2), 0.15, 0.15, true, 1);
        for (Dataset d : List.of(s.train(), s.validation(), s.test())) {
            assertTrue(d.classCounts()[1] >= 1, "minority class missing from a split: " + java.util.Arrays.toString(d.classCounts()));
        }
    }

    @Test
    void sameSeedSameSplitsOtherSeedOtherSplits() {
        Dataset d = indexed(new int[300], 1);
        assertEquals(Splits.split(d, 0.2, 0.2, true, 5).test().sha256(), Splits.split(d, 0.2, 0.2, true, 5).test().sha256());
        assertTrue(!Splits.split(d, 0.2, 0.2, true, 5).test().sha256().equals(Splits.split(d, 0.2, 0.2, true, 6).test().sha256()));
    }

    @Test
    void scalerIsFittedOnTrainingRowsOnly() {
        Dataset wine = DatasetLoader.sklearn("wine", "wine_data.csv", true);
        assertEquals(List.of("class_0", "class_1", "class_2"), wine.labels());
        Splits s = Splits.split(wine, 0.2, 0.2, true, 3);
        StandardScaler scaler = StandardScaler.fit(s.train());
        scaler.apply(s.train());
        scaler.apply(s.test());
        for (int j = 0; j < wine.features(); j++) {
            assertEquals(0.0, mean(s.train(), j), 1e-9, "train feature " + j + " is centred");
        }
        double testDrift = 0;
        for (int j = 0; j < wine.features(); j++) {
            testDrift += Math.abs(mean(s.test(), j));
        }
        assertTrue(testDrift > 1e-3, "test rows are scaled with training statistics, not their own");
    }

    @Test
    void csvWithHeaderInfersTypesAndOneHotEncodesText(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path csv = dir.resolve("pets.csv");
        java.nio.file.Files.writeString(csv, "weight,colour,indoor,kind\n4.5,black,true,cat\n30,brown,false,dog\n"
                + "5.1,\"white, spotted\",true,cat\n");
        Dataset d = DatasetLoader.csv(csv, "kind");
        assertEquals(List.of("weight", "colour=black", "colour=brown", "colour=white, spotted", "indoor"), d.featureNames());
        assertEquals(List.of("cat", "dog"), d.labels());
        assertEquals(List.of(1.0, 0.0, 0.0, 1.0, 1.0), java.util.Arrays.stream(d.x()[2]).boxed().toList().subList(0, 5)
                .stream().map(v -> v == 5.1 ? 1.0 : v).toList());
        DatasetLoader.DataException e = org.junit.jupiter.api.Assertions.assertThrows(DatasetLoader.DataException.class,
                () -> DatasetLoader.csv(csv, "knd"));
        assertTrue(e.getMessage().contains("did you mean kind?"), e.getMessage());
    }

    private static double[] proportions(int[] counts, int n) {
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = (double) counts[i] / n;
        }
        return p;
    }

    private static double mean(Dataset d, int j) {
        double s = 0;
        for (double[] row : d.x()) {
            s += row[j];
        }
        return s / d.rows();
    }
}
