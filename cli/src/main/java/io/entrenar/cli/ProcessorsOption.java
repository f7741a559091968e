package io.entrenar.cli;

import picocli.CommandLine.Option;

/** Where the processors' query server answers (live statistics, metric history, failure Pareto). */
final class ProcessorsOption {
    @Option(names = "--processors-url", paramLabel = "URL", defaultValue = "${env:ENTRENAR_PROCESSORS_URL:-http://127.0.0.1:8086}",
            description = "Processors' query server (default ${DEFAULT-VALUE}; env ENTRENAR_PROCESSORS_URL).")
    String url;
}
