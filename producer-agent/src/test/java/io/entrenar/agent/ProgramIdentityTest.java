package io.entrenar.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramIdentityTest {

    @Test
    void theNameIsTheMainClassAndSecretsAreRedacted() {
        ProgramIdentity p = ProgramIdentity.of("com.acme.Train --epochs 3 --db-password hunter2 api_key=abc123 "
                + "--token=t0k --config run.yaml jdbc:postgresql://alice:pa55@db:5432/x -Dservice.secret=s3 --auth-header Bearer");
        assertEquals("com.acme.Train", p.mainClass());
        assertEquals("Train", p.simpleName());
        assertEquals(List.of("--epochs", "3", "--db-password", "***", "api_key=***", "--token=***", "--config", "run.yaml",
                "jdbc:postgresql://alice:***@db:5432/x", "-Dservice.secret=***", "--auth-header", "***"), p.args());
        for (String secret : List.of("hunter2", "abc123", "t0k", "pa55", "s3", "Bearer")) {
            assertFalse(p.commandLine().contains(secret), secret + " in " + p.commandLine());
        }
        assertEquals("com.acme.Train --epochs 3 --db-password *** api_key=*** --token=*** --config run.yaml "
                + "jdbc:postgresql://alice:***@db:5432/x -Dservice.secret=*** --auth-header ***", p.commandLine());
    }

    @Test
    void jarsAndEmptyCommands() {
        ProgramIdentity jar = ProgramIdentity.of("/opt/app/trainer-1.2.jar --token abc");
        assertEquals("trainer-1.2", jar.simpleName());
        assertEquals("/opt/app/trainer-1.2.jar --token ***", jar.commandLine());
        ProgramIdentity none = ProgramIdentity.of("");
        assertEquals("unknown", none.simpleName());
        assertEquals(List.of(), none.args());
    }

    @Test
    void anOptionFollowedByAnotherOptionRedactsNothingOfIt() {
        assertEquals(List.of("--no-auth", "--verbose"), ProgramIdentity.of("Main --no-auth --verbose").args());
    }
}
