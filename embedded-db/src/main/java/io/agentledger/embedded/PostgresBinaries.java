package io.agentledger.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unpacks the zonky PostgreSQL distribution once per archive content into
 * {@code ${java.io.tmpdir}/agentledger-pg/<sha256>/}, shared by all JVMs on the machine.
 */
final class PostgresBinaries {

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

    // Everything must stay readable/executable for the unprivileged user the server runs as when we are root.
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final String COMPLETE_MARKER = ".complete";

    // FileLock is held per JVM, so threads of the same JVM must be serialised separately.
    private static final Object JVM_LOCK = new Object();
    private static Path installDirectory;

    private PostgresBinaries() {
    }

    static Path installDirectory() throws IOException {
        synchronized (JVM_LOCK) {
            if (installDirectory == null) {
                installDirectory = install();
            }
            return installDirectory;
        }
    }

    private static Path install() throws IOException {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
            archive = in.readAllBytes();
        }
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "agentledger-pg").toAbsolutePath();
        Files.createDirectories(base);
        try {
            Files.setPosixFilePermissions(base, EXECUTABLE);
        } catch (IOException notOwner) {
            // Created by another OS user, who decides its permissions.
        }
        String key = sha256(archive);
        Path target = base.resolve(key);
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        try (FileChannel channel = FileChannel.open(base.resolve(key + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.exists(target.resolve(COMPLETE_MARKER))) {
                return target;
            }
            // Leftovers of an extraction interrupted by a crash.
            deleteRecursively(target);
            log.info("Extracting PostgreSQL binaries to {}", target);
            extract(archive, target);
            Files.createFile(target.resolve(COMPLETE_MARKER));
        }
        return target;
    }

    private static void extract(byte[] archive, Path target) throws IOException {
        Files.createDirectories(target);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("Archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, (entry.getMode() & 0111) != 0 ? EXECUTABLE : READABLE);
                }
            }
        }
        try (Stream<Path> paths = Files.walk(target)) {
            for (Path dir : (Iterable<Path>) paths.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, EXECUTABLE);
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
