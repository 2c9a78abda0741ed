package io.privacyplatform.support.auth;

/** The roles a token's {@code groups} claim may carry. */
public final class Roles {

    /** A product app or pipeline acting for its users. */
    public static final String APP = "app";
    /** A privacy operator watching requests and deadlines. */
    public static final String OPERATOR = "operator";
    /** Configures purposes, policies, systems. */
    public static final String ADMIN = "admin";
    /**
     * A store (a system holding personal data) acting for itself: it may register and update its own system on
     * retention-service's data map (the token's name is the system id) and nothing else anywhere.
     */
    public static final String STORE = "store";

    private Roles() {
    }
}
