package io.privacyplatform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server from the binaries on the classpath (zonky's jar from Maven), with all its files in one home
 * folder: {@code dist/} the binaries, {@code data/} the cluster, {@code postgres.log}. Tests run a throwaway one in
 * a temporary folder ({@link PostgresTestServer}); the local run keeps one under {@code .run/} ({@link LocalPostgres}).
 * PostgreSQL refuses to run as root, so as root the home belongs to {@code nobody} and every server command runs as
 * {@code nobody} through {@code runuser}.
 */
public final class EmbeddedPostgres {

    private static final String BINARIES = "postgres-linux-x86_64.txz";

    private final Path home;
    private final int port;

    public EmbeddedPostgres(Path home, int port) {
        this.home = home.toAbsolutePath();
        this.port = port;
    }

    public Path home() {
        return home;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return home.resolve("postgres.log");
    }

    /**
     * Unpacks the binaries and creates the cluster where they are missing (so a kept home is reused as it is), then
     * starts the server on 127.0.0.1 only, without a Unix socket (everything connects over TCP; that avoids the
     * socket-path length limit). A {@code throwaway} server trades durability for speed: no fsync at all.
     */
    public void start(boolean throwaway) {
        try {
            Files.createDirectories(home);
            if (!Files.isExecutable(binary("pg_ctl"))) {
                unpackBinaries();
            }
            if (isRoot()) {
                // The server writes its log here and initdb creates data/ here, both as nobody.
                run(List.of("chown", "nobody", home.toString()), false);
            }
            Path data = home.resolve("data");
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                List<String> initdb = new ArrayList<>(List.of(binary("initdb").toString(), "-D", data.toString(),
                        "-U", "postgres", "-A", "trust", "-E", "UTF8"));
                if (throwaway) {
                    initdb.add("--no-sync");
                }
                run(initdb, true);
            }
            String options = "-p " + port + " -h 127.0.0.1 -c unix_socket_directories='' -c max_connections=300"
                    + (throwaway ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");
            run(List.of(binary("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l", log().toString(),
                    "-w", "-t", "60", "start"), true);
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL from the Maven binaries in " + home, e);
        }
    }

    /** The postmaster's PID while it runs: postmaster.pid names it, checked against the live processes because a crash leaves the file. */
    public OptionalLong pid() {
        Path pidFile = home.resolve("data").resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return OptionalLong.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            boolean postgres = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(process -> process.info().command())
                    .map(command -> command.endsWith("/postgres"))
                    .orElse(false);
            return postgres ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Stops the server with {@code pg_ctl}'s {@code mode} ({@code fast} keeps the data consistent, {@code immediate}
     * is enough for a throwaway one). If pg_ctl fails, SIGQUIT is PostgreSQL's own immediate shutdown: the
     * postmaster takes its backends down with it, which SIGKILL would not.
     */
    public void stop(String mode) {
        OptionalLong pid = pid();
        if (pid.isEmpty()) {
            return;
        }
        try {
            run(List.of(binary("pg_ctl").toString(), "-D", home.resolve("data").toString(), "-m", mode, "-w", "-t",
                    "30", "stop"), true);
        } catch (IllegalStateException e) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(process -> run(List.of("kill", "-QUIT",
                    Long.toString(process.pid())), false));
        }
    }

    private void unpackBinaries() throws IOException {
        Path dist = home.resolve("dist");
        Files.createDirectories(dist);
        Path archive = home.resolve(BINARIES);
        try (InputStream in = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(BINARIES)) {
            if (in == null) {
                throw new IllegalStateException(BINARIES + " is not on the classpath (zonky binaries jar)");
            }
            Files.copy(in, archive);
        }
        try {
            run(List.of("tar", "-xJf", archive.toString(), "-C", dist.toString()), false);
        } finally {
            Files.deleteIfExists(archive);
        }
        if (isRoot()) {
            run(List.of("chown", "-R", "nobody", home.toString()), false);
        }
    }

    private Path binary(String name) {
        return home.resolve("dist").resolve("bin").resolve(name);
    }

    static void run(List<String> command, boolean asPostgresUser) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser && isRoot()) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + String.join(" ", full) + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full, e);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
