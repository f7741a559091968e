package io.entrenar.tracking;

import io.entrenar.schemas.Topic;

/** One event on its way out: topic, key ({@code run_id} in UTF-8) and the Avro body without the Confluent header. */
record Outbound(Topic topic, byte[] key, byte[] body) {
}
