package io.privacyplatform.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/local's run folder belongs to one slot at a time. Before the guard, {@code LOCAL_RUN_SLOT=2 stop.sh} in a
 * checkout whose slot-0 run was up read slot 0's pid files and stopped its services and broker, and run.sh reported
 * them as its own and rewrote slot 0's admin.properties with slot 2's ports. A live process stands in for a running
 * slot here: this test's own JVM, which stop.sh could not stop anyway (its command line names no service jar).
 */
class LocalRunFolderIT {

    private static final Path ROOT = Path.of(System.getProperty("services.root", "..")).toAbsolutePath().normalize();

    @Test
    void shouldRefuseAFolderWhoseRunningProcessesBelongToAnotherSlot(@TempDir Path runDir) throws Exception {
        Path pidFile = runFolderOfSlot0WithALiveProcess(runDir);

        Result stop = stopSh(runDir, 2);

        assertThat(stop.exitCode()).isNotZero();
        assertThat(stop.output()).contains("running processes of LOCAL_RUN_SLOT=0, not 2", "LOCAL_RUN_DIR");
        // Refused before looking at the pid files: a stop.sh that went on would have removed this one as stale.
        assertThat(pidFile).exists();
    }

    @Test
    void shouldWorkOnTheFolderOfItsOwnSlot(@TempDir Path runDir) throws Exception {
        Path pidFile = runFolderOfSlot0WithALiveProcess(runDir);

        Result stop = stopSh(runDir, 0);

        assertThat(stop.exitCode()).as(stop.output()).isZero();
        // Its own slot's folder: the pid file was looked at, found not to name a service JVM, and dropped as stale.
        assertThat(stop.output()).contains("consent-service was not running (stale pid file)");
        assertThat(pidFile).doesNotExist();
    }

    /** A run folder as run.sh leaves it for slot 0 (no slot file: folders from before the guard were slot 0's). */
    private static Path runFolderOfSlot0WithALiveProcess(Path runDir) throws IOException {
        Files.createDirectories(runDir.resolve("pids"));
        Path pidFile = runDir.resolve("pids/consent-service.pid");
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        return pidFile;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result stopSh(Path runDir, int slot) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", ROOT.resolve("deploy/local/stop.sh").toString()))
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("LOCAL_RUN_SLOT", Integer.toString(slot));
        builder.environment().put("LOCAL_RUN_DIR", runDir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
