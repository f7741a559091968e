package io.entrenar.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entrenar completion bash}: a bash (and zsh via bashcompinit) completion script from picocli. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a shell completion script.", "Use: source <(entrenar completion bash)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "Only bash (zsh loads it with bashcompinit).")
    String shell;

    @Override
    public Integer call() {
        if (!"bash".equals(shell)) {
            throw new IllegalArgumentException("no completion for shell '" + shell + "'; supported: bash (zsh: autoload bashcompinit)");
        }
        spec.commandLine().getOut().print(AutoComplete.bash("entrenar", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
