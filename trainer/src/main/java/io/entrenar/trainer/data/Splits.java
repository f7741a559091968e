package io.entrenar.trainer.data;

import java.util.ArrayList;
import java.util.List;

import io.entrenar.trainer.model.Rng;

/**
 * Train / validation / test splits that never share a row. Stratified: every class is shuffled on
 * its own and cut by the same fractions (largest-remainder rounding per class), so each split keeps
 * the class proportions of the whole set even for rare classes.
 */
public record Splits(Dataset train, Dataset validation, Dataset test) {

    public static Splits split(Dataset data, double validation, double test, boolean stratify, long seed) {
        Rng rng = new Rng(seed ^ 0x5EEDL);
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        if (stratify) {
            List<List<Integer>> byClass = new ArrayList<>();
            for (int c = 0; c < data.classes(); c++) {
                byClass.add(new ArrayList<>());
            }
            for (int i = 0; i < data.rows(); i++) {
                byClass.get(data.y()[i]).add(i);
            }
            for (List<Integer> rows : byClass) {
                cut(shuffled(rows, rng), validation, test, tr, va, te);
            }
        } else {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < data.rows(); i++) {
                all.add(i);
            }
            cut(shuffled(all, rng), validation, test, tr, va, te);
        }
        // Row order inside a split is by original index; the training loop shuffles per epoch.
        return new Splits(data.subset(sorted(tr)), data.subset(sorted(va)), data.subset(sorted(te)));
    }

    private static void cut(int[] rows, double validation, double test, List<Integer> tr, List<Integer> va,
            List<Integer> te) {
        int n = rows.length;
        int nTest = (int) Math.round(n * test);
        int nVal = (int) Math.round(n * validation);
        if (n >= 3) {
            nTest = Math.max(1, nTest);
            nVal = Math.max(1, nVal);
        }
        nTest = Math.min(nTest, n);
        nVal = Math.min(nVal, n - nTest);
        for (int i = 0; i < n; i++) {
            (i < nTest ? te : i < nTest + nVal ? va : tr).add(rows[i]);
        }
    }

    private static int[] shuffled(List<Integer> rows, Rng rng) {
        int[] a = rows.stream().mapToInt(Integer::intValue).toArray();
        rng.shuffle(a);
        return a;
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
