package io.entrenar.trainer.model;

/**
 * Classification quality on one split: mean cross-entropy, accuracy, macro-averaged F1 (over every
 * class that has support or predictions) and the confusion matrix (rows = true, columns = predicted).
 */
public record Evaluation(double loss, double accuracy, double macroF1, int[][] confusion) {

    static Evaluation of(int[] truth, int[] predicted, double lossSum, int classes) {
        int[][] cm = new int[classes][classes];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            cm[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        double f1Sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            int tp = cm[c][c];
            int support = 0;
            int predictedC = 0;
            for (int k = 0; k < classes; k++) {
                support += cm[c][k];
                predictedC += cm[k][c];
            }
            if (support == 0 && predictedC == 0) {
                continue;
            }
            counted++;
            f1Sum += tp == 0 ? 0 : 2.0 * tp / (support + predictedC);
        }
        int n = Math.max(1, truth.length);
        return new Evaluation(lossSum / n, (double) correct / n, counted == 0 ? 0 : f1Sum / counted, cm);
    }
}
