package dev.nano.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An app's secrets folder: one file per key, the file name the key, its content the value.
 *
 * <p>A Kubernetes Secret volume holds {@code KEY -> ..data/KEY} links and
 * {@code ..data -> ..2026_12_03_...}, a timestamped folder; the kubelet rotates every key at once
 * by swapping the {@code ..data} link. Names starting with a dot are that machinery (or hidden
 * files) and are skipped; links are followed. One trailing newline is dropped
 * ({@code echo secret > KEY} writes one).
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** Every key and value in the folder; errors name the file, never its content. */
    public static Map<String, String> read(Path folder) throws InvalidEnvException {
        if (!Files.isDirectory(folder)) {
            throw new InvalidEnvException(null, "secrets-dir " + folder + " is not a folder");
        }
        Map<String, String> secrets = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String key = file.getFileName().toString();
                if (key.startsWith(".") || !Files.isRegularFile(file)) {
                    continue;
                }
                AppEnv.checkKey(key);
                if (Files.size(file) > AppEnv.MAX_VALUE_BYTES) {
                    throw new InvalidEnvException(key, "the secret file is larger than " + AppEnv.MAX_VALUE_BYTES
                            + " bytes");
                }
                secrets.put(key, decode(key, Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            // A rotation swaps links under us: the caller keeps the previous env and reads again.
            throw new InvalidEnvException(null, "secrets-dir " + folder + " cannot be read: " + e.getClass().getSimpleName());
        }
        return secrets;
    }

    private static String decode(String key, byte[] bytes) throws InvalidEnvException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEnvException(key, "the secret file is not UTF-8 text");
        }
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
