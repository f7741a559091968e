package io.entrenar.tracking;

import io.entrenar.schemas.Topic;

/**
 * One event on its way out: topic, key ({@code run_id} in UTF-8) and the Avro body without the
 * Confluent header, {@code body[0, bodyLength)}. A metric batch's body is the drain thread's
 * reused encoder buffer: whoever receives an Outbound copies the body before returning and never
 * keeps the array.
 */
record Outbound(Topic topic, byte[] key, byte[] body, int bodyLength) {
    Outbound(Topic topic, byte[] key, byte[] body) {
        this(topic, key, body, body.length);
    }
}
