package io.agentledger.command.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The server's one secret: {@code AGENTLEDGER_JWT_SECRET} (shared by all nodes), or else a random one generated
 * once and kept, readable by its owner only, in the data directory. It signs access tokens and keys the hashes of
 * API keys and refresh tokens, so a stolen table of hashes is useless without it.
 */
public final class Secrets {

    static final int MIN_SECRET_BYTES = 32;
    static final String SECRET_FILE = "jwt-secret";
    private static final Logger log = LoggerFactory.getLogger(Secrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] signingKey;
    private final byte[] hashingKey;

    Secrets(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("AGENTLEDGER_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.signingKey = hmac(secret, "agentledger access tokens");
        this.hashingKey = hmac(secret, "agentledger credential hashes");
    }

    public static Secrets load(String configured, Path dataDirectory) {
        if (configured != null && !configured.isEmpty()) {
            return new Secrets(configured.getBytes(StandardCharsets.UTF_8));
        }
        return new Secrets(storedOrGenerated(dataDirectory.resolve(SECRET_FILE)));
    }

    /** The HS256 key of access tokens. */
    public SecretKey signingKey() {
        return new SecretKeySpec(signingKey, "HmacSHA256");
    }

    /** A keyed hash (HMAC-SHA-256, hex) of a credential: what is stored instead of the credential. */
    public String hash(String credential) {
        return HexFormat.of().formatHex(hmac(hashingKey, credential));
    }

    /** A new high-entropy credential: 256 random bits, URL-safe, with a prefix saying what it is. */
    public static String newCredential(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] storedOrGenerated(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] secret = Base64.getEncoder().encode(randomBytes(48));
                Files.write(file, secret, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                log.info("Generated a token signing secret in {}", file);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret " + file, e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
