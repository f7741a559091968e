package io.entrenar.mlflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.entrenar.events.ArtifactFormat;

/**
 * The artifact store behind {@code mlflow-artifacts:/}: a run's files under
 * {@code DIR/<experiment>/<run>/artifacts/<path>}, written through a temporary file and moved into
 * place, their sha256 computed while they stream in. Paths are checked before anything touches the
 * disk: no absolute paths, no {@code ..}, nothing outside the store.
 */
final class Artifacts {
    private final Path root;
    private final long maxBytes;

    /** What an upload wrote. */
    record Stored(Path file, String relativePath, String sha256, long size) {
    }

    /** One entry of a listing: a path relative to the store root's run folder, MLflow's FileInfo. */
    record Entry(String path, boolean dir, long size) {
    }

    Artifacts(Path root, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    /** A run's artifact URI as MLflow clients resolve it against this server. */
    static String runUri(String experimentId, String runId) {
        return "mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts";
    }

    /** Writes {@code in} to {@code path} (relative to the store: {@code <exp>/<run>/artifacts/...}). */
    Stored put(String path, InputStream in) throws IOException {
        Path target = resolve(path);
        if (Files.isDirectory(target)) {
            throw MlflowException.invalid("artifact path '" + path + "' is a directory");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    size += n;
                    if (size > maxBytes) {
                        throw MlflowException.invalid("artifact '" + path + "' passed the limit of " + maxBytes
                                + " bytes (artifact.max.bytes)");
                    }
                    out.write(buf, 0, n);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Stored(target, root.relativize(target).toString().replace('\\', '/'), HexFormat.of().formatHex(sha.digest()), size);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file at {@code path}, or RESOURCE_DOES_NOT_EXIST. */
    Path get(String path) {
        Path p = resolve(path);
        if (!Files.isRegularFile(p)) {
            throw MlflowException.notFound("No such artifact: " + path);
        }
        return p;
    }

    /** The direct children of {@code path} (a directory; empty when it does not exist), sorted by name. */
    List<Entry> list(String path) {
        Path dir = path == null || path.isEmpty() ? root : resolve(path);
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path c : children) {
                if (c.getFileName().toString().startsWith(".upload-")) {
                    continue;
                }
                boolean isDir = Files.isDirectory(c);
                out.add(new Entry(dir.relativize(c).toString(), isDir, isDir ? 0 : Files.size(c)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list artifacts at " + path, e);
        }
        out.sort(java.util.Comparator.comparing(Entry::path));
        return out;
    }

    void delete(String path) throws IOException {
        Path p = resolve(path);
        if (Files.isDirectory(p)) {
            try (var walk = Files.walk(p)) {
                for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }

    /** {@code path} inside the store, or INVALID_PARAMETER_VALUE: absolute, {@code ..} or escaping paths are refused. */
    Path resolve(String path) {
        if (path == null) {
            throw MlflowException.invalid("artifact path is missing");
        }
        String p = path.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        for (String part : p.split("/")) {
            if (part.equals("..") || part.contains("\0") || part.contains(":")) {
                throw MlflowException.invalid("Invalid artifact path: '" + path + "'");
            }
        }
        Path resolved = root.resolve(p).normalize();
        if (!resolved.startsWith(root)) {
            throw MlflowException.invalid("Invalid artifact path: '" + path + "'");
        }
        return resolved;
    }

    /** Our format of a file, from its name: what Artifact events and the runs view show. */
    static ArtifactFormat format(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".safetensors")) {
            return ArtifactFormat.SAFETENSORS;
        } else if (n.endsWith(".onnx")) {
            return ArtifactFormat.ONNX;
        } else if (n.endsWith(".json")) {
            return ArtifactFormat.JSON;
        } else if (n.endsWith(".csv")) {
            return ArtifactFormat.CSV;
        } else if (n.endsWith(".txt") || n.endsWith(".md") || n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith("mlmodel")) {
            return ArtifactFormat.TEXT;
        } else if (n.endsWith(".parquet")) {
            return ArtifactFormat.PARQUET;
        } else if (n.endsWith(".pkl") || n.endsWith(".pickle") || n.endsWith(".joblib") || n.endsWith(".cloudpickle")) {
            return ArtifactFormat.PICKLE;
        } else if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".bin")) {
            return ArtifactFormat.PYTORCH_BIN;
        } else if (n.endsWith(".ser")) {
            return ArtifactFormat.JAVA_SERIALIZED;
        }
        return ArtifactFormat.OTHER;
    }
}
