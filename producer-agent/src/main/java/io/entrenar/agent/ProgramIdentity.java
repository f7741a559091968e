package io.entrenar.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent may say about the program it runs in. The run's name and the process span carry
 * the main class (or jar), never its arguments; the command line kept with the run's source has
 * every secret-looking argument redacted by one rule:
 * <ul>
 *   <li>{@code NAME=VALUE} and {@code --NAME=VALUE} (also {@code -Dx.NAME=VALUE}) where NAME
 *       contains password, passwd, secret, token, apikey/api-key/api_key, credential, auth or
 *       private key: the value becomes {@code ***};
 *   <li>{@code --NAME VALUE} (an option with such a name followed by a separate value): the value
 *       becomes {@code ***};
 *   <li>a URL with a password ({@code scheme://user:PASSWORD@host}): the password becomes {@code ***}.
 * </ul>
 *
 * @param mainClass   the main class or the jar, as the JVM was given it
 * @param simpleName  the main class without its package, or the jar's file name without .jar
 * @param commandLine the whole command line, redacted
 * @param args        the arguments, redacted
 */
record ProgramIdentity(String mainClass, String simpleName, String commandLine, List<String> args) {

    static final String REDACTED = "***";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass(word|wd)?|secret|token|api[-_.]?key|credential|auth|private[-_.]?key).*");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/:@\\s]+:)([^@/\\s]+)(@)");

    /** From the JVM's {@code sun.java.command}: the main class or jar, then the arguments. */
    static ProgramIdentity of(String sunJavaCommand) {
        String command = sunJavaCommand == null ? "" : sunJavaCommand.strip();
        String[] words = command.isEmpty() ? new String[0] : command.split("\\s+");
        String main = words.length == 0 ? "unknown" : words[0];
        String simple = main.endsWith(".jar") ? main.replaceAll(".*/", "").replace(".jar", "")
                : main.substring(main.lastIndexOf('.') + 1);
        List<String> args = new ArrayList<>();
        boolean valueIsSecret = false;
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (valueIsSecret && !word.startsWith("-")) {
                args.add(REDACTED);
                valueIsSecret = false;
                continue;
            }
            valueIsSecret = false;
            int eq = word.indexOf('=');
            if (eq > 0 && SECRET_NAME.matcher(word.substring(0, eq)).matches()) {
                args.add(word.substring(0, eq + 1) + REDACTED);
            } else if (word.startsWith("-") && eq < 0 && SECRET_NAME.matcher(word).matches()) {
                args.add(word);
                valueIsSecret = true;
            } else {
                Matcher url = URL_PASSWORD.matcher(word);
                args.add(url.find() ? url.replaceAll("$1" + REDACTED + "$3") : word);
            }
        }
        String line = args.isEmpty() ? main : main + " " + String.join(" ", args);
        return new ProgramIdentity(main, simple, line, List.copyOf(args));
    }
}
