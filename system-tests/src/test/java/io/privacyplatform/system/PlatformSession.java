package io.privacyplatform.system;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the platform when the test session ends, after the last scenario that used it. */
public class PlatformSession implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        PlatformProcesses.shutdown();
    }
}
