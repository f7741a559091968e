package io.entrenar.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.events.LineageRole;
import io.entrenar.events.MetricBatch;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.listen.TrackingListener;
import io.entrenar.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real training jobs streamed into a real broker through the tracking API. */
@ExtendWith(SharedStack.class)
class TrackingListenerTest {

    @Test
    void aTrainingJobAndADistillationPairLandOnTheirTopics(@TempDir Path dir) throws Exception {
        Path logistic = Files.writeString(dir.resolve("logistic.yaml"), """
                name: tracked-logistic
                model: {arch: logistic}
                data: {source: iris}
                training: {epochs: 3}
                compute: {hourly_rate_usd: 36}
                seed: 7
                """);
        Path examples = Path.of("examples").toAbsolutePath();
        String logisticId;
        String teacherId;
        String studentId;
        try (Tracker tracker = Tracker.start(Map.of("bootstrap.servers", SharedStack.stack().bootstrapServers(),
                "schema.registry.url", SharedStack.stack().registryUrl(), "spool.dir", dir.resolve("spool").toString()));
             TrackingListener listener = new TrackingListener(tracker, "trainer-tracking-test")) {
            var outcomes = new Trainer(listener).run(ConfigLoader.load(logistic));
            logisticId = outcomes.get(0).runId();
            var distilled = new Trainer(listener).run(ConfigLoader.load(examples.resolve("distillation.yaml")));
            teacherId = distilled.get(0).runId();
            studentId = distilled.get(1).runId();
        }

        Map<String, List<RunEvent>> runs = TopicRecords.read(Topic.RUNS, RunEvent.class);
        RunFinished finished = (RunFinished) runs.get(logisticId).get(runs.get(logisticId).size() - 1).getPayload();
        assertEquals(RunStatus.COMPLETED, finished.getStatus());
        // One meaning of cost and energy: on the finish, from the tracker (the platform's $36/h x the run's wall time)
        assertTrue(finished.getEnergy() != null && finished.getEnergy().getKwhTotal() > 0, String.valueOf(finished.getEnergy()));
        assertEquals(finished.getDurationMicros() / 3.6e9 * 36, finished.getCost().getTotalCostUsd(), 1e-9);
        RunFinished teacherFinish = (RunFinished) runs.get(teacherId).get(runs.get(teacherId).size() - 1).getPayload();
        assertEquals(null, teacherFinish.getCost(), "no hourly rate, no cost: unknown, not $0");
        assertEquals(false, finished.getSummary().containsKey("cost_usd"), "cost lives in RunFinished.cost only");
        assertTrue(finished.getSummary().keySet().stream().anyMatch(k -> k.contains("accuracy")), finished.getSummary().toString());
        RunStarted started = (RunStarted) runs.get(logisticId).get(0).getPayload();
        assertEquals(io.entrenar.events.DeviceType.CPU, started.getDevice().getType(), "the leaderboard's Device column");
        assertEquals("7", started.getParams().get("seed"));
        assertEquals("iris", started.getLineage().getDependencies().get(0).getName());

        // Every step's loss, learning rate and gradient norm, and the epochs' validation figures.
        Map<String, Integer> points = new HashMap<>();
        for (MetricBatch b : TopicRecords.read(Topic.METRICS, MetricBatch.class).getOrDefault(logisticId, List.of())) {
            for (int id : b.getNameIds()) {
                points.merge(b.getNames().get(id), 1, Integer::sum);
            }
        }
        assertEquals(finished.getSummary().get("steps").intValue(), points.get("loss"), points.toString());
        assertEquals(finished.getSummary().get("steps").longValue(), finished.getTotalSteps(),
                "the trainer's steps count from 1: the run's step count is its own, not the last step + 1");
        assertEquals(points.get("loss"), points.get("lr"));
        assertEquals(points.get("loss"), points.get("grad_norm"));
        assertEquals(3, points.get("val_accuracy"));

        RunStarted student = (RunStarted) runs.get(studentId).get(0).getPayload();
        assertEquals(teacherId, student.getLineage().getParents().get(0).getRunId(), "the student's parent is the tracked teacher");
        assertEquals(LineageRole.TEACHER, student.getLineage().getParents().get(0).getRole());
    }
}
