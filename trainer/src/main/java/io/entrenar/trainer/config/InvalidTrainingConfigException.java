package io.entrenar.trainer.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config with one or more errors; the message lists all of them, one per line. */
public final class InvalidTrainingConfigException extends RuntimeException {
    private final transient List<ConfigError> errors;

    public InvalidTrainingConfigException(List<ConfigError> errors) {
        this(sorted(errors), true);
    }

    private InvalidTrainingConfigException(List<ConfigError> sorted, boolean ignored) {
        super(sorted.size() + (sorted.size() == 1 ? " error" : " errors") + "\n"
                + sorted.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = sorted;
    }

    /** In file order; errors without a position (environment, sweep trials) after those with one. */
    private static List<ConfigError> sorted(List<ConfigError> errors) {
        return errors.stream().sorted(java.util.Comparator
                .comparing((ConfigError e) -> e.line() == 0)
                .thenComparingInt(ConfigError::line)
                .thenComparingInt(ConfigError::column)).toList();
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
