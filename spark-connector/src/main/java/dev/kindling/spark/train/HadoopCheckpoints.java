package dev.kindling.spark.train;

import dev.kindling.io.Checkpoint;
import dev.kindling.io.SafeTensorsFile;
import dev.kindling.nn.Module;
import dev.kindling.optim.LRScheduler;
import dev.kindling.optim.Optimizer;
import dev.kindling.spark.internal.HadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training checkpoints in a directory of any Hadoop file system (local, HDFS, S3...): one
 * safetensors file per checkpoint ({@link Checkpoint}'s format: model, optimizer, scheduler, step
 * and metadata) and beside it a {@code .sha256} file with the SHA-256 of its bytes. Each file is
 * streamed to a hidden temporary name in the directory and renamed, so a crash leaves no
 * half-written checkpoint and nothing outside the directory; a temporary file a crash left behind
 * is deleted by the next fit. The newest {@code keep} checkpoints are kept.
 *
 * <p>Restoring takes the newest checkpoint whose bytes match its checksum and parse; a damaged one
 * (truncated, altered, checksum missing) is skipped with a warning naming it, and the one before
 * is used. Errors name the checkpoint's own path.
 */
final class HadoopCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(HadoopCheckpoints.class);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.safetensors");
    private static final Pattern TEMPORARY = Pattern.compile("\\.checkpoint-\\d+\\.safetensors(\\.sha256)?\\.tmp");
    private static final String CHECKSUM = ".sha256";
    private final Path dir;
    private final Configuration conf;
    private final int keep;

    HadoopCheckpoints(String dir, Configuration conf, int keep) {
        if (keep < 1) throw new IllegalArgumentException("checkpoints to keep must be >= 1 but got " + keep);
        this.dir = new Path(dir);
        this.conf = conf;
        this.keep = keep;
    }

    Path path(long step) {
        return new Path(dir, String.format("checkpoint-%012d.safetensors", step));
    }

    private static Path checksumPath(Path checkpoint) {
        return new Path(checkpoint.getParent(), checkpoint.getName() + CHECKSUM);
    }

    void save(long step, Module model, Optimizer optimizer, LRScheduler scheduler, Map<String, String> metadata) {
        Path target = path(step);
        Path tmp = new Path(dir, "." + target.getName() + ".tmp");
        try {
            FileSystem fs = dir.getFileSystem(conf);
            fs.mkdirs(dir);
            MessageDigest sha = sha256();
            try (FSDataOutputStream raw = fs.create(tmp, true);
                 DigestOutputStream out = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 20), sha)) {
                Checkpoint.write(out, model, optimizer, scheduler, step, metadata);
            }
            // The checksum goes in first: a checkpoint that is visible always has one.
            HadoopFiles.writeText(conf, checksumPath(target), HexFormat.of().formatHex(sha.digest()) + "  " + target.getName() + "\n");
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
            prune(fs);
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + target + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Restores the newest intact checkpoint into the objects, if the directory has one; fails,
     * naming every file tried, when it holds checkpoints but none is intact.
     */
    Optional<Checkpoint.Restored> restoreLatest(Module model, Optimizer optimizer, LRScheduler scheduler) {
        List<String> damaged = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) return Optional.empty();
            deleteLeftovers(fs);
            List<Long> steps = steps(fs);
            for (int i = steps.size() - 1; i >= 0; i--) {
                Path p = path(steps.get(i));
                try {
                    byte[] bytes = HadoopFiles.readBytes(conf, p);
                    verify(fs, p, bytes);
                    try (SafeTensorsFile f = SafeTensorsFile.of(bytes, p.toString())) {
                        return Optional.of(Checkpoint.restore(f, model, optimizer, scheduler));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warn("Kindling: skipping damaged checkpoint {}: {}{}", p, e.getMessage(),
                            i > 0 ? "; trying the one before" : "");
                    damaged.add(p + " (" + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading checkpoints from " + dir + " failed: " + e.getMessage(), e);
        }
        if (damaged.isEmpty()) return Optional.empty();
        throw new UncheckedIOException(new IOException("no intact checkpoint in " + dir + "; damaged: " + String.join(", ", damaged)
                + " (move them away to start afresh)"));
    }

    private void verify(FileSystem fs, Path checkpoint, byte[] bytes) throws IOException {
        Path sum = checksumPath(checkpoint);
        if (!fs.exists(sum)) throw new IOException("its checksum file " + sum + " is missing");
        String text = new String(HadoopFiles.readBytes(conf, sum), StandardCharsets.UTF_8).trim();
        String expected = text.split("\\s+")[0];
        String actual = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("its " + bytes.length + " bytes have SHA-256 " + actual + " but " + sum + " says " + expected);
        }
    }

    /** Deletes all but the newest keep checkpoints, with their checksums. */
    private void prune(FileSystem fs) throws IOException {
        List<Long> steps = steps(fs);
        for (int i = 0; i < steps.size() - keep; i++) {
            Path p = path(steps.get(i));
            fs.delete(p, false);
            fs.delete(checksumPath(p), false);
        }
    }

    /** Temporary files of a save that a crash interrupted. */
    private void deleteLeftovers(FileSystem fs) throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            if (TEMPORARY.matcher(s.getPath().getName()).matches()) {
                LOG.info("Kindling: deleting {}, left by an interrupted checkpoint write", s.getPath());
                fs.delete(s.getPath(), false);
            }
        }
    }

    private void deleteQuietly(Path p) {
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (fs.exists(p)) fs.delete(p, false);
        } catch (IOException e) {
            LOG.warn("Kindling: could not delete {}: {}", p, e.toString());
        }
    }

    private List<Long> steps(FileSystem fs) throws IOException {
        List<Long> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (m.matches()) out.add(Long.parseLong(m.group(1)));
        }
        out.sort(null);
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
