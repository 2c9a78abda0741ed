package io.privacyplatform.request;

import io.privacyplatform.events.Topics;
import io.privacyplatform.testing.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Real broker and a fresh database for every @QuarkusTest of this module (the annotation applies globally). */
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "request_service"),
        @ResourceArg(name = "topics", value = Topics.ALL) })
public class TestResources {
}
