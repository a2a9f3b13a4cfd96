package io.wharf.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Runs a peer tool (cph, node) with a deadline and bounded, fully drained output. */
final class ExternalProcess {

    /** Enough for any solve of a test channel; beyond it the reply is not trustworthy anyway. */
    private static final int MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

    // Blocking pipe reads get their own daemon threads rather than the shared common pool.
    private static final Executor OWN_THREAD = task -> {
        Thread thread = new Thread(task, "peer-process-output");
        thread.setDaemon(true);
        thread.start();
    };

    record Result(int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    static final class TimedOut extends RuntimeException {
        TimedOut(List<String> command, Duration timeout, String stderr) {
            super("%s did not finish within %s; stderr: %s".formatted(command, timeout, stderr));
        }
    }

    private ExternalProcess() {}

    /**
     * @throws IOException when the program cannot be started at all (typically: not installed)
     */
    static Result run(List<String> command, Path workDir, Map<String, String> env, byte[] stdin, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        // Interpreter variables from a developer shell (pyenv, virtualenvs, NODE_OPTIONS) would make the
        // peers load modules other than the packaged ones.
        builder.environment().keySet().removeIf(key -> key.startsWith("PYTHON") || key.equals("NODE_OPTIONS")
                || key.equals("NODE_PATH"));
        builder.environment().putAll(env);

        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), OWN_THREAD);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), OWN_THREAD);
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException exitedEarly) {
            // The program closed its stdin before reading everything; its exit code and stderr tell why.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new TimedOut(command, timeout, text(err.getNow(new byte[0])));
            }
            return new Result(process.exitValue(), text(out.get()), text(err.get()));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command, e);
        } catch (ExecutionException e) {
            throw new IOException("could not read the output of " + command, e.getCause());
        }
    }

    /** True when the command starts and exits with 0 in time; for availability probes. */
    static boolean runsSuccessfully(List<String> command, Duration timeout) {
        try {
            return run(command, null, Map.of(), null, timeout).succeeded();
        } catch (IOException | TimedOut e) {
            return false;
        }
    }

    // Keeps reading past the limit so a chatty child never blocks on a full pipe.
    private static byte[] drain(InputStream stream) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (stream) {
            int n;
            while ((n = stream.read(buffer)) != -1) {
                int room = MAX_OUTPUT_BYTES - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(n, room));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kept.toByteArray();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
