package io.privacyplatform.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The PostgreSQL of the local run (deploy/local/run.sh and stop.sh call {@link #main}): the machine's own server
 * when it answers, otherwise an {@link EmbeddedPostgres} on a fixed port whose data is kept across runs. The home of
 * an embedded server started here is written to {@code <run-dir>/pg/embedded-home}; only the server named there is
 * ever stopped, so the machine's own server is never touched.
 *
 * <pre>
 * up &lt;run-dir&gt; &lt;machine-port&gt; &lt;embedded-port&gt; &lt;database&gt;...   prints "machine &lt;port&gt;" or "embedded &lt;port&gt;"
 * stop &lt;run-dir&gt;                                            exit 0 if it stopped a server, 3 if none ran
 * </pre>
 *
 * {@code PG_FORCE_EMBEDDED=1} skips the machine's server. Progress goes to stderr, the answer to stdout.
 */
public final class LocalPostgres {

    static final int NOT_RUNNING = 3;

    private final Path runDir;

    LocalPostgres(Path runDir) {
        this.runDir = runDir.toAbsolutePath();
    }

    public static void main(String[] args) {
        try {
            dispatch(args);
        } catch (RuntimeException e) {
            System.err.println("error " + e.getMessage());
            System.exit(1);
        }
    }

    private static void dispatch(String[] args) {
        if (args.length >= 4 && args[0].equals("up")) {
            LocalPostgres local = new LocalPostgres(Path.of(args[1]));
            String answer = local.up(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Arrays.asList(args).subList(4, args.length), "1".equals(System.getenv("PG_FORCE_EMBEDDED")));
            System.out.println(answer);
        } else if (args.length == 2 && args[0].equals("stop")) {
            boolean stopped = new LocalPostgres(Path.of(args[1])).stop();
            System.exit(stopped ? 0 : NOT_RUNNING);
        } else {
            System.err.println("usage: LocalPostgres up <run-dir> <machine-port> <embedded-port> <database>...\n"
                    + "       LocalPostgres stop <run-dir>");
            System.exit(2);
        }
    }

    /** Makes sure a server runs and has the databases; answers "machine &lt;port&gt;" or "embedded &lt;port&gt;". */
    String up(int machinePort, int embeddedPort, List<String> databases, boolean forceEmbedded) {
        String mode;
        int port;
        EmbeddedPostgres recorded = recorded(embeddedPort);
        if (recorded != null && recorded.pid().isPresent()) {
            // Keep using an embedded server from an earlier run, even if the machine's server has appeared since,
            // so the services do not switch databases.
            mode = "embedded";
            port = embeddedPort;
            say(" ok", "embedded PostgreSQL already running (pid " + recorded.pid().getAsLong() + ") on 127.0.0.1:"
                    + port);
        } else if (!forceEmbedded && PostgresTestServer.reachable("127.0.0.1", machinePort, "postgres", "")) {
            mode = "machine";
            port = machinePort;
            say(" ok", "using the machine's PostgreSQL at 127.0.0.1:" + port);
        } else {
            mode = "embedded";
            port = embeddedPort;
            startEmbedded(recorded != null ? recorded : new EmbeddedPostgres(chooseHome(), embeddedPort));
        }
        PostgresTestServer server = PostgresTestServer.at("127.0.0.1", port);
        List<String> created = databases.stream().filter(server::createDatabaseIfMissing).toList();
        say(" ok", created.isEmpty() ? "databases exist" : "created databases: " + String.join(" ", created));
        return mode + " " + port;
    }

    /** Stops the embedded server this class started, if it runs; tells whether it stopped one. */
    boolean stop() {
        EmbeddedPostgres recorded = recorded(0);
        OptionalLong pid = recorded == null ? OptionalLong.empty() : recorded.pid();
        if (pid.isEmpty()) {
            return false;
        }
        recorded.stop("fast");
        say(" ok", "stopped embedded PostgreSQL (pid " + pid.getAsLong() + ", data " + recorded.home().resolve("data")
                + ")");
        return true;
    }

    private void startEmbedded(EmbeddedPostgres server) {
        if (portInUse(server.port())) {
            throw new IllegalStateException("port " + server.port() + " is in use by a process run.sh did not start");
        }
        try {
            Files.createDirectories(marker().getParent());
            Files.writeString(marker(), server.home().toString() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + marker(), e);
        }
        say("==>", "starting embedded PostgreSQL on 127.0.0.1:" + server.port() + " (data " + server.home()
                + "/data; the binaries are unpacked and the cluster created on the first run only)");
        try {
            server.start(false);
        } catch (IllegalStateException e) {
            tail(server.log());
            throw e;
        }
        say(" ok", "embedded PostgreSQL up (pid " + server.pid().orElse(-1) + ", log " + server.log() + ")");
    }

    /** The embedded server named by the marker of an earlier run, or null. */
    private EmbeddedPostgres recorded(int port) {
        try {
            return Files.exists(marker())
                    ? new EmbeddedPostgres(Path.of(Files.readString(marker(), StandardCharsets.UTF_8).strip()), port)
                    : null;
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + marker(), e);
        }
    }

    /**
     * Under the run folder, unless the server must run as {@code nobody} (we are root) and {@code nobody} cannot
     * reach it (e.g. the repository is under /root): then a per-uid folder under /tmp, refused if someone else owns it.
     */
    private Path chooseHome() {
        Path home = runDir.resolve("pg");
        if (!EmbeddedPostgres.isRoot() || nobodyCanReach(runDir)) {
            return home;
        }
        Path fallback = Path.of("/tmp/privacy-platform-pg-0");
        try {
            if (Files.exists(fallback)) {
                String owner = Files.getOwner(fallback).getName();
                if (!owner.equals("nobody") && !owner.equals("root")) {
                    throw new IllegalStateException(fallback + " is owned by " + owner + "; remove it");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not inspect " + fallback, e);
        }
        return fallback;
    }

    private static boolean nobodyCanReach(Path dir) {
        try {
            EmbeddedPostgres.run(List.of("test", "-x", dir.toString()), true);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private Path marker() {
        return runDir.resolve("pg").resolve("embedded-home");
    }

    private static boolean portInUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
        } catch (IOException e) {
            // no log yet: the failure message says enough
        }
    }

    private static void say(String prefix, String message) {
        System.err.println(prefix + " " + message);
    }
}
