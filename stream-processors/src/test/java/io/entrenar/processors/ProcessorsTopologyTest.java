package io.entrenar.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.entrenar.schemas.Topic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class ProcessorsTopologyTest {
    @Test
    void oneSourceOverTheTrainingTopicsAndOneRepartitionPerOtherKey() {
        TopologyDescription d = ProcessorsTopology.build(ProcessorsTopology.Settings.defaults(),
                Serdes.serdeFrom((topic, v) -> new byte[0], (topic, bytes) -> null)).describe();
        List<TopologyDescription.Subtopology> subs = d.subtopologies().stream()
                .sorted(java.util.Comparator.comparingInt(TopologyDescription.Subtopology::id)).toList();
        assertEquals(3, subs.size(), d.toString());
        Set<String> sources = new TreeSet<>();
        subs.getFirst().nodes().stream().filter(n -> n instanceof TopologyDescription.Source)
                .forEach(n -> sources.addAll(((TopologyDescription.Source) n).topicSet()));
        assertEquals(new TreeSet<>(List.of(Topic.RUNS.topicName(), Topic.METRICS.topicName(), Topic.RESOURCES.topicName(),
                Topic.FAILURES.topicName())), sources, d.toString());
        String text = d.toString();
        assertTrue(text.contains("leaderboard-by-benchmark-repartition") && text.contains("failure-pareto-repartition"), text);
    }
}
