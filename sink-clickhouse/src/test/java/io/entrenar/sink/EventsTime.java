package io.entrenar.sink;

import java.time.Instant;

final class EventsTime {

    private EventsTime() {
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
