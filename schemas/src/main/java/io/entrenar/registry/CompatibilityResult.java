package io.entrenar.registry;

import java.util.List;

/** Outcome of a compatibility test; {@code messages} says why it is incompatible. */
public record CompatibilityResult(boolean compatible, List<String> messages) {
}
