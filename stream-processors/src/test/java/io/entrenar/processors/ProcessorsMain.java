package io.entrenar.processors;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The app in its own JVM, so that a test can kill it with SIGKILL mid-stream. Args: a properties file. */
public final class ProcessorsMain {
    private ProcessorsMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(r);
        }
        Map<String, Object> settings = new HashMap<>();
        p.forEach((k, v) -> settings.put(k.toString(), v));
        ProcessorsApp app = ProcessorsApp.start(new ProcessorsConfig(settings));
        System.out.println("STARTED " + app.httpUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
