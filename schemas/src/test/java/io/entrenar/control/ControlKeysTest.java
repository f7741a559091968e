package io.entrenar.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlKeysTest {
    private static final String TOPIC = "entrenar.control.v1";
    @TempDir
    Path dir;

    @Test
    void signedRecordsVerifyAndAnyChangeIsCaught() throws Exception {
        ControlKeys keys = ControlKeys.loadOrCreate(dir.resolve("control.keys"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.file())));
        byte[] value = "STOP run-1".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        keys.sign(TOPIC, value, headers);
        assertNull(keys.verify(TOPIC, value, headers));
        assertEquals("bad signature (key '" + keyId(headers) + "')", keys.verify(TOPIC, "STOP run-2".getBytes(StandardCharsets.UTF_8), headers));
        assertTrue(keys.verify("other.topic", value, headers).startsWith("bad signature"), "bound to the topic");
        assertEquals("unsigned", keys.verify(TOPIC, value, new RecordHeaders()));
        assertEquals(ControlKeys.loadOrCreate(keys.file()).verify(TOPIC, value, headers), null, "the file is reused, not replaced");
    }

    @Test
    void anotherKeyOrAForgedOneIsRefused() throws Exception {
        ControlKeys ours = ControlKeys.loadOrCreate(dir.resolve("ours"));
        ControlKeys theirs = ControlKeys.loadOrCreate(dir.resolve("theirs"));
        byte[] value = {1, 2, 3};
        RecordHeaders headers = new RecordHeaders();
        theirs.sign(TOPIC, value, headers);
        assertTrue(ours.verify(TOPIC, value, headers).startsWith("signed with unknown key"), "each file draws its own key id");
        byte[] other = new byte[32];
        other[31] = 1;
        ControlKeys sameIdOtherSecret = ControlKeys.load(Files.writeString(dir.resolve("impostor"),
                "signing.key=" + keyId(headers) + "\nkey." + keyId(headers) + "=" + Base64.getEncoder().encodeToString(other) + "\n"));
        RecordHeaders impostor = new RecordHeaders();
        sameIdOtherSecret.sign(TOPIC, value, impostor);
        assertTrue(theirs.verify(TOPIC, value, impostor).startsWith("bad signature"), "same key id, other secret");
        RecordHeaders forged = new RecordHeaders();
        forged.add(ControlKeys.KEY_ID_HEADER, "nope".getBytes(StandardCharsets.UTF_8));
        forged.add(ControlKeys.SIGNATURE_HEADER, new byte[32]);
        assertEquals("signed with unknown key 'nope'", ours.verify(TOPIC, value, forged));
    }

    @Test
    void rotationVerifiersAcceptEveryListedKey() throws Exception {
        String a = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] bBytes = new byte[32];
        bBytes[0] = 7;
        String b = Base64.getEncoder().encodeToString(bBytes);
        ControlKeys oldSigner = ControlKeys.load(Files.writeString(dir.resolve("old"), "signing.key=a\nkey.a=" + a + "\n"));
        ControlKeys verifier = ControlKeys.load(Files.writeString(dir.resolve("both"), "key.a=" + a + "\nkey.b=" + b + "\n"));
        ControlKeys newSigner = ControlKeys.load(Files.writeString(dir.resolve("new"), "signing.key=b\nkey.b=" + b + "\n"));
        for (ControlKeys signer : new ControlKeys[] {oldSigner, newSigner}) {
            RecordHeaders h = new RecordHeaders();
            signer.sign(TOPIC, new byte[] {9}, h);
            assertNull(verifier.verify(TOPIC, new byte[] {9}, h));
        }
        assertThrows(IllegalStateException.class, () -> verifier.sign(TOPIC, new byte[0], new RecordHeaders()), "no signing.key");
    }

    @Test
    void badFilesNameTheLine() throws Exception {
        Path f = Files.writeString(dir.resolve("bad"), "# keys\nkey.a=not base64!\n");
        assertEquals(f + ":2: key.a is not base64", assertThrows(IllegalArgumentException.class, () -> ControlKeys.load(f)).getMessage());
        Path shortKey = Files.writeString(dir.resolve("short"), "key.a=" + Base64.getEncoder().encodeToString(new byte[8]) + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlKeys.load(shortKey)).getMessage()
                .endsWith(":1: key.a has 8 bytes; a key needs at least 32"));
        Path dangling = Files.writeString(dir.resolve("dangling"), "signing.key=z\nkey.a=" + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlKeys.load(dangling)).getMessage()
                .endsWith("signing.key=z names no key of the file"));
    }

    private static String keyId(RecordHeaders headers) {
        return new String(headers.lastHeader(ControlKeys.KEY_ID_HEADER).value(), StandardCharsets.UTF_8);
    }
}
