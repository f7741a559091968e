package io.entrenar.alerting;

/**
 * One incident transition for one channel. {@code deliveryId} ({@code incident/STATE/channel}) is
 * the dedup key: it is delivered once, whatever restarts and redeliveries happen upstream.
 */
record Notification(String deliveryId, String channel, String incidentId, String state, String runId,
                    String body, long acceptedAtMicros) {

    static String deliveryId(String incidentId, String state, String channel) {
        return incidentId + "/" + state + "/" + channel;
    }
}
