package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload that names a tenant must name the envelope's: {@link EventCodec} refuses the rest. */
class TenantScopeTest {

    private final EventCodec codec = new EventCodec(Examples.CLOCK);

    static Stream<Object> payloads() {
        return Stream.concat(Examples.all().stream(), Stream.of(Examples.exportAck(), Examples.purgeCommand()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void shouldRejectAPayloadOfAnotherTenantThanTheEnvelope(Object payload) {
        assertThat(payload).as("every payload names its tenant").isInstanceOf(TenantScoped.class);
        EventEnvelope forged = codec.envelope("evt-forged", "/services/test", "other-tenant",
                Examples.keyOf(payload), payload);

        assertThatThrownBy(() -> codec.decode(forged)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("differs from ce_tenantid");
        assertThatThrownBy(() -> codec.decode(forged, payload.getClass())).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("differs from ce_tenantid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void shouldAcceptAPayloadOfTheEnvelopesTenant(Object payload) {
        EventEnvelope envelope = codec.envelope("evt-1", "/services/test", ((TenantScoped) payload).tenantId(),
                Examples.keyOf(payload), payload);

        assertThat(codec.decode(envelope, payload.getClass())).isEqualTo(payload);
    }
}
