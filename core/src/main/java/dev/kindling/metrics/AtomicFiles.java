package dev.kindling.metrics;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file under a temporary name in its own directory and renames it into place, so a
 * reader never sees half a file and a crash leaves the previous version (or nothing) behind.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    static void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        // Not Files.createTempFile: its 0600 permissions would stay with the renamed file.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
