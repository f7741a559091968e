package io.entrenar.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.entrenar.registry.AvroCompatibility;
import io.entrenar.registry.CompatibilityLevel;
import io.entrenar.registry.CompatibilityResult;
import org.apache.avro.Schema;

/**
 * Build step: every schema in the source tree must be BACKWARD-compatible with its copy in the
 * newest released version directory ({@code released/vN/}), and no released schema may vanish.
 * Consumers deployed against vN keep working when producers move on.
 */
public final class ReleasedSchemaCheck {
    private ReleasedSchemaCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ReleasedSchemaCheck <current-avsc-dir> <released-dir>");
            System.exit(2);
        }
        List<String> problems = check(Path.of(args[0]), Path.of(args[1]));
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("[schema-compatibility] " + p));
            throw new IllegalStateException(problems.size() + " schema compatibility problem(s); see above");
        }
    }

    /** Problems found, empty when the current schemas may be released. */
    public static List<String> check(Path currentDir, Path releasedRoot) throws IOException {
        Path released = newestRelease(releasedRoot);
        if (released == null) {
            return List.of();
        }
        Map<String, Schema> current = load(currentDir);
        Map<String, Schema> previous = load(released);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Schema> old : previous.entrySet()) {
            Schema now = current.get(old.getKey());
            if (now == null) {
                problems.add(old.getKey() + " was released in " + released.getFileName() + " but is gone from " + currentDir);
                continue;
            }
            CompatibilityResult result = AvroCompatibility.check(CompatibilityLevel.BACKWARD, now, List.of(old.getValue()));
            for (String message : result.messages()) {
                problems.add(old.getKey() + " is not BACKWARD-compatible with " + released.getFileName() + ": " + message);
            }
        }
        return problems;
    }

    private static Path newestRelease(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().matches("v\\d+"))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(1))))
                    .orElse(null);
        }
    }

    /** Schemas by full name; each file is parsed on its own, as the registry sees it. */
    static Map<String, Schema> load(Path dir) throws IOException {
        Map<String, Schema> schemas = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
                try {
                    Schema s = new Schema.Parser().parse(f.toFile());
                    schemas.put(s.getFullName(), s);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(f + ": not a valid Avro schema: " + e.getMessage(), e);
                }
            }
        }
        return schemas;
    }
}
