package io.privacyplatform.events.payload;

import io.privacyplatform.events.Require;

/**
 * Personal data a store KEPT when asked to erase, and why: {@code category} (what, e.g.
 * {@code marketing_suppression}), {@code basis} (the reason it may be kept, e.g. "do-not-contact list, Art. 21(3)
 * GDPR") and {@code form} (how it is kept, e.g. "keyed hash (HMAC-SHA256, tenant key)"). A certificate names it as
 * retained, never as deleted.
 */
public record Retained(String category, String basis, String form) {

    public Retained {
        Require.text(category, "retained[].category");
        Require.text(basis, "retained[].basis");
        Require.text(form, "retained[].form");
    }

    public static Retained of(String category, String basis, String form) {
        return new Retained(category, basis, form);
    }
}
