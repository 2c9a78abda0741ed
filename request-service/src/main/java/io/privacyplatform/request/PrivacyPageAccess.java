package io.privacyplatform.request;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A browser's access to one request submitted on the privacy page: the browser holds the token in a cookie. */
@Entity
@Table(name = "privacy_page_access")
public class PrivacyPageAccess extends RequestToken {
}
