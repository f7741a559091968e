package io.entrenar.trainer.config;

/**
 * One problem in a config, located by line and column (1-based; 0 when the value came from the
 * environment or a derived sweep trial, then {@code origin} says where).
 */
public record ConfigError(String origin, int line, int column, String path, String message) {
    @Override
    public String toString() {
        return origin + (line > 0 ? ":" + line + ":" + column : "") + ": " + path + ": " + message;
    }
}
