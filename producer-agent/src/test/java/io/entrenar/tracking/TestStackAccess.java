package io.entrenar.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.entrenar.schemas.Topic;
import io.entrenar.stack.SharedStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The shared test stack and topic reader, for tests in other packages. */
public final class TestStackAccess {
    private TestStackAccess() {
    }

    public static String bootstrap() {
        return SharedStack.stack().bootstrapServers();
    }

    public static String registry() {
        return SharedStack.stack().registryUrl();
    }

    public static <T> List<ConsumerRecord<String, T>> read(Topic topic, Set<String> runIds,
                                                           Predicate<List<ConsumerRecord<String, T>>> done, Duration timeout) {
        return TopicReader.read(bootstrap(), registry(), topic, runIds, done, timeout);
    }
}
