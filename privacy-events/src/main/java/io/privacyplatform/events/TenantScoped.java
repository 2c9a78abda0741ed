package io.privacyplatform.events;

/**
 * A payload that belongs to one tenant. {@link EventCodec} rejects an event whose payload tenant is not its envelope's
 * {@code ce_tenantid}: consumers route, authorise and store by either, and an event that says two different things
 * about whose it is cannot be trusted with either.
 */
public interface TenantScoped {

    /** The tenant the payload says it belongs to; null counts as differing from any envelope tenant. */
    String tenantId();
}
