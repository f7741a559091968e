package io.entrenar.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.entrenar.trainer.config.ConfigLoader;
import io.entrenar.trainer.config.InvalidTrainingConfigException;
import io.entrenar.trainer.config.Lockfile;
import io.entrenar.trainer.config.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar validate FILE}: checks a training config and reports every error; starts nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks a training YAML: keys, types, ranges, cross-field rules, lockfile drift. "
                + "Reports every error with line and column; starts nothing. Exit status 0 valid, 2 invalid."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Training config (YAML).")
    Path file;

    @Option(names = "--lock", arity = "0..1", paramLabel = "LOCKFILE", fallbackValue = "",
            description = "Write the resolved parameters to LOCKFILE (default: the config's lockfile, else FILE.lock).")
    String lock;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TrainingConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (InvalidTrainingConfigException e) {
            spec.commandLine().getErr().println(file + ": invalid: " + e.getMessage());
            return 2;
        }
        out.printf("%s: valid (arch %s, data %s, %d parameters%s)%n", file,
                config.model().arch().name().toLowerCase(java.util.Locale.ROOT),
                config.data().source().name().toLowerCase(java.util.Locale.ROOT), config.params().size(),
                config.sweep() != null ? ", sweep" : config.distill() != null ? ", distillation" : "");
        if (lock != null) {
            Path target = !lock.isEmpty() ? Path.of(lock)
                    : config.lockfile() != null ? config.lockfile() : Path.of(file + ".lock");
            boolean existed = Files.exists(target);
            Lockfile.write(config, target);
            out.printf("%s %d parameters into %s%n", existed ? "re-locked" : "locked", config.params().size(), target);
        }
        return 0;
    }
}
