package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LamportClockTest {

    @Test
    void ticksAndJumpsPastWhatItReceives() {
        LamportClock clock = new LamportClock();
        assertEquals(1, clock.tick());
        assertEquals(11, clock.observe(10));
        assertEquals(12, clock.observe(3), "an older timestamp still advances the clock by one");
        assertEquals(13, clock.observe(-5));
    }

    @Test
    void saturatesAtTheTopOfTheRangeInsteadOfWrapping() {
        LamportClock clock = new LamportClock();
        assertEquals(Long.MAX_VALUE, clock.observe(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, clock.observe(Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, clock.tick());
        assertEquals(Long.MAX_VALUE, clock.current());
    }
}
