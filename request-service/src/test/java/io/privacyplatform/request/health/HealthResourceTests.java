package io.privacyplatform.request.health;

import io.privacyplatform.testing.ServiceHealthContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthResourceTests extends ServiceHealthContract {

    HealthResourceTests() {
        super("Request service");
    }
}
