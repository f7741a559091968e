package io.entrenar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code entrenar validate} and {@code entrenar train} as registered subcommands. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Entrenar.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void validateReportsEveryErrorWithPositionsAndLocks() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "model:\n  arch: mlp\n  hiden: [64]\noptimizer:\n  lr: -1\n");
        Result r = run("validate", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.yaml:3:3: model.hiden: unknown key (did you mean hidden?)"), r.err());
        assertTrue(r.err().contains("bad.yaml:5:7: optimizer.lr: must be > 0"), r.err());

        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "model: {arch: logistic}\ndata: {source: iris}\n");
        Path lock = dir.resolve("good.lock");
        r = run("validate", good.toString(), "--lock", lock.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(lock).contains("model.arch=logistic"));
    }

    @Test
    void trainRunsTheJobInAChildJvmAndStreamsItsOutput() throws Exception {
        Path job = dir.resolve("iris.yaml");
        Files.writeString(job, "model: {arch: logistic}\ndata: {source: iris}\ntraining: {epochs: 3, output_dir: runs}\n");
        Path events = dir.resolve("events.jsonl");
        Result r = run("train", job.toString(), "--events", events.toString(), "--jvm-arg", "-Dentrenar.test=1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("epoch   3"), r.out());
        assertTrue(r.out().contains("finished"), r.out());
        assertTrue(Files.readString(events).contains("\"event\":\"run_finished\""));
    }
}
