package io.entrenar.tracking;

import java.io.IOException;

/** The spool cannot take a record: its disk budget is used up or the disk itself is full. */
final class SpoolFullException extends IOException {
    SpoolFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
