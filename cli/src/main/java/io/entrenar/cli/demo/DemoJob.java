package io.entrenar.cli.demo;

/**
 * One training job of the demo: a YAML config shipped with the CLI.
 *
 * @param runs how many training runs the job makes (a sweep's trials, a distillation's teacher and student)
 * @param expectedErrorCode the failure the job injects, or null when it should complete
 */
record DemoJob(String name, String configFile, String shows, int runs, String expectedErrorCode) {
    boolean injectsFailure() {
        return expectedErrorCode != null;
    }
}
