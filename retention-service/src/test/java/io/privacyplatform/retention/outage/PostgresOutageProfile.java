package io.privacyplatform.retention.outage;

import java.util.List;
import java.util.Map;

import io.privacyplatform.events.Topics;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application on a PostgreSQL server that its test may stop ({@link OutagePostgresTestResource}) instead of the
 * shared one, so an outage hurts no other test. The module's global resource (the shared database) is off for it.
 */
public class PostgresOutageProfile implements QuarkusTestProfile {

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OutagePostgresTestResource.class,
                Map.of("database", "retention_service", "topics", Topics.ALL)));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // A record that waits for the database is tried again at least every 2 s: the test sees it soon after.
        return Map.of("privacy.inbox.max-backoff", "2s");
    }
}
