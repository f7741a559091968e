package io.entrenar.trainer.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config with one or more errors; the message lists all of them, one per line. */
public final class InvalidTrainingConfigException extends RuntimeException {
    private final transient List<ConfigError> errors;

    public InvalidTrainingConfigException(List<ConfigError> errors) {
        super(errors.size() + (errors.size() == 1 ? " error" : " errors") + "\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
