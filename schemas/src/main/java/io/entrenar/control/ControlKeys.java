package io.entrenar.control;

import io.entrenar.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The keys that sign and verify control commands (STOP, PAUSE, RESUME, APPROVE, REJECT) on
 * {@code entrenar.control.v1}. Whoever issues a command (the Andon processor, the alert router,
 * the CLI) signs the record: HMAC-SHA256 over the topic name, a zero byte and the record's value
 * bytes, carried in the headers {@value #SIGNATURE_HEADER} and {@value #KEY_ID_HEADER}. The tracker
 * verifies before it acts.
 *
 * <p>A key file holds one key per line, {@code key.ID=BASE64} (at least 32 bytes), and names the key
 * that signs: {@code signing.key=ID}. Verifiers accept every key listed. Rotation: add a new key to
 * the files of the verifiers (trackers read theirs when they start), then point the signers'
 * {@code signing.key} at it, then remove the old key. The file is owner-only.
 */
public final class ControlKeys {

    public static final String SIGNATURE_HEADER = "entrenar.signature";
    public static final String KEY_ID_HEADER = "entrenar.signature.key";
    /** Where a process finds the key file when its configuration does not say. */
    public static final String FILE_ENV = "ENTRENAR_CONTROL_KEYS_FILE";
    /** The setting every app that signs or verifies commands takes. */
    public static final String FILE_CONFIG = "control.keys.file";
    public static final String FILE_DOC = "Key file that signs and verifies control commands (HMAC-SHA256; README, Control "
            + "commands). Empty: $" + FILE_ENV + ", else ~/.entrenar/control.keys, which ./entrenar stack writes on its "
            + "first start in its data directory.";
    private static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final Path file;
    private final Map<String, byte[]> keys;
    private final String signingId;

    private ControlKeys(Path file, Map<String, byte[]> keys, String signingId) {
        this.file = file;
        this.keys = keys;
        this.signingId = signingId;
    }

    /** The key file named by {@value #FILE_ENV}, else {@code ~/.entrenar/control.keys} (the default stack's). */
    public static Path defaultFile(Map<String, String> env) {
        String named = env.get(FILE_ENV);
        return named != null && !named.isBlank() ? Path.of(named)
                : Path.of(System.getProperty("user.home"), ".entrenar", "control.keys");
    }

    /** The file a {@value #FILE_CONFIG} setting names, or the default one when it is empty. */
    public static Path resolve(String configured, Map<String, String> env) {
        return configured == null || configured.isBlank() ? defaultFile(env) : Path.of(configured);
    }

    /** Reads a key file; errors name the file and the line. */
    public static ControlKeys load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the control keys file " + file + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String signing = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = file + ":" + (i + 1) + ": ";
            if (eq < 0) {
                throw new IllegalArgumentException(where + "expected key.ID=BASE64 or signing.key=ID");
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (name.equals("signing.key")) {
                signing = value;
            } else if (name.startsWith("key.") && name.length() > 4) {
                byte[] secret;
                try {
                    secret = Base64.getDecoder().decode(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + name + " is not base64");
                }
                if (secret.length < MIN_KEY_BYTES) {
                    throw new IllegalArgumentException(where + name + " has " + secret.length + " bytes; a key needs at least "
                            + MIN_KEY_BYTES);
                }
                keys.put(name.substring(4), secret);
            } else {
                throw new IllegalArgumentException(where + "unknown entry " + name + " (expected key.ID or signing.key)");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + ": no key (key.ID=BASE64)");
        }
        if (signing != null && !keys.containsKey(signing)) {
            throw new IllegalArgumentException(file + ": signing.key=" + signing + " names no key of the file");
        }
        return new ControlKeys(file, Map.copyOf(keys), signing);
    }

    /** Reads {@code file}, first writing one with a fresh random key if there is none. */
    public static ControlKeys loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            SecureRandom random = new SecureRandom();
            byte[] secret = new byte[MIN_KEY_BYTES];
            random.nextBytes(secret);
            // Unique per file (its own random bits, not the secret's): two stacks' keys must not share an id.
            String id = "k" + LocalDate.now().toString().replace("-", "") + "-" + Integer.toHexString(random.nextInt(1 << 16));
            try {
                OwnerOnly.write(file, "# Entrenar control-command keys (HMAC-SHA256): key.ID=BASE64, and the key that signs.\n"
                        + "# Rotation: add a key, give it to the trackers, then point signing.key at it (README, Control).\n"
                        + "signing.key=" + id + "\nkey." + id + "=" + Base64.getEncoder().encodeToString(secret) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the control keys file " + file, e);
            }
        }
        return load(file);
    }

    public Path file() {
        return file;
    }

    /** Adds the signature of the record to its headers (replacing any). */
    public void sign(String topic, byte[] value, Headers headers) {
        if (signingId == null) {
            throw new IllegalStateException(file + " names no signing.key: this process can verify commands but not sign them");
        }
        headers.remove(SIGNATURE_HEADER);
        headers.remove(KEY_ID_HEADER);
        headers.add(KEY_ID_HEADER, signingId.getBytes(StandardCharsets.UTF_8));
        headers.add(SIGNATURE_HEADER, mac(keys.get(signingId), topic, value));
    }

    /** Null when the record carries a valid signature of one of the keys, else why not. */
    public String verify(String topic, byte[] value, Headers headers) {
        Header id = headers.lastHeader(KEY_ID_HEADER);
        Header signature = headers.lastHeader(SIGNATURE_HEADER);
        if (id == null || signature == null || signature.value() == null) {
            return "unsigned";
        }
        String keyId = id.value() == null ? "" : new String(id.value(), StandardCharsets.UTF_8);
        byte[] key = keys.get(keyId);
        if (key == null) {
            return "signed with unknown key '" + keyId + "'";
        }
        // Constant time: the answer's timing tells nothing about how much of a forged signature matched.
        return MessageDigest.isEqual(mac(key, topic, value == null ? new byte[0] : value), signature.value())
                ? null : "bad signature (key '" + keyId + "')";
    }

    private static byte[] mac(byte[] key, String topic, byte[] value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(topic.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(value);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }
}
