package io.entrenar.agent;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * A real training program with no tracking code: writes a synthetic 3-class dataset to CSV, loads
 * it with Tribuo's CSVLoader, trains a logistic regression with AdaGrad, evaluates it, and repeats
 * for {@code rounds}. Args: workDir rounds [waitForFile]. With waitForFile it first waits until
 * that file exists (so a test can attach the agent), then trains.
 */
public final class TribuoTraining {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        if (args.length > 2) {
            Path go = Path.of(args[2]);
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            while (!Files.exists(go)) {
                Thread.sleep(20);
            }
        }
        Files.createDirectories(work);
        Path csv = work.resolve("train.csv");
        Random random = new Random(42);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("f0,f1,f2,f3,label\n");
            for (int i = 0; i < 6000; i++) {
                int c = random.nextInt(3);
                w.write(String.format("%.5f,%.5f,%.5f,%.5f,c%d%n", c + random.nextGaussian(), -c + random.nextGaussian(),
                        random.nextGaussian(), c * 0.5 + random.nextGaussian(), c));
            }
        }
        double accuracy = 0;
        for (int r = 0; r < rounds; r++) {
            CSVLoader<Label> loader = new CSVLoader<>(new LabelFactory());
            var source = loader.loadDataSource(csv, "label");
            MutableDataset<Label> data = new MutableDataset<>(source);
            var trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 10, 1000, 1, 42L + r);
            var model = trainer.train(data);
            accuracy = new LabelEvaluator().evaluate(model, data).accuracy();
        }
        System.out.println("ACCURACY " + accuracy);
    }
}
