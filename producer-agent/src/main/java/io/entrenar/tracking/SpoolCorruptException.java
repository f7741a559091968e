package io.entrenar.tracking;

import java.io.IOException;

/**
 * A spool record that can never be read: its CRC or its layout does not check out. Unlike an I/O
 * error it does not heal, so the record is dropped (and counted) instead of being retried for ever.
 */
final class SpoolCorruptException extends IOException {
    SpoolCorruptException(String message) {
        super(message);
    }
}
