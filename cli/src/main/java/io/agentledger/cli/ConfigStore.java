package io.agentledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The config file: the server URL and the caller's tokens, readable by its owner only (0600). Changes happen under a
 * lock on a sibling file, so two commands refreshing at once never both spend the same refresh token (the server
 * would take the second use for a stolen token and revoke the family).
 */
final class ConfigStore {

    private final Path file;
    private final ObjectMapper mapper;

    ConfigStore(Path file, ObjectMapper mapper) {
        this.file = file.toAbsolutePath();
        this.mapper = mapper;
    }

    Path file() {
        return file;
    }

    record Config(String url, String accessToken, String refreshToken, Instant expiresAt) {

        static final Config EMPTY = new Config(null, null, null, null);
    }

    Config read() {
        if (!Files.exists(file)) {
            return Config.EMPTY;
        }
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(file.toFile());
            return new Config(text(node, "url"), text(node, "accessToken"), text(node, "refreshToken"),
                    node.hasNonNull("expiresAt") ? Instant.parse(node.get("expiresAt").asText()) : null);
        } catch (IOException | ClassCastException | java.time.format.DateTimeParseException e) {
            throw ApiException.local("CONFIG_UNREADABLE", "Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Reads, changes and writes the config while holding the lock. */
    Config update(UnaryOperator<Config> change) {
        try {
            createDirectory();
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Config changed = change.apply(read());
                write(changed);
                return changed;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Config config) throws IOException {
        ObjectNode node = mapper.createObjectNode();
        node.put("url", config.url());
        node.put("accessToken", config.accessToken());
        node.put("refreshToken", config.refreshToken());
        node.put("expiresAt", config.expiresAt() == null ? null : config.expiresAt().toString());
        Path temporary = Files.createTempFile(file.getParent(), ".config", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            mapper.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), node);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void createDirectory() throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // created meanwhile by another command
            }
        }
    }

    private static String text(ObjectNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
