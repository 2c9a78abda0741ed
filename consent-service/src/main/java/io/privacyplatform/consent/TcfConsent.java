package io.privacyplatform.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An IAB TCF v2 consent string as received, with the purpose and vendor consents decoded from it. */
@Entity
@Table(name = "tcf_consent")
public class TcfConsent {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(name = "tc_string")
    public String tcString;

    @Column(name = "cmp_id")
    public int cmpId;

    @Column(name = "cmp_version")
    public int cmpVersion;

    @Column(name = "vendor_list_version")
    public int vendorListVersion;

    @Column(name = "tcf_policy_version")
    public int tcfPolicyVersion;

    @Column(name = "tc_created_at")
    public Instant tcCreatedAt;

    /** Comma-separated TCF purpose ids (1–11) with consent. */
    @Column(name = "purpose_consents")
    public String purposeConsents;

    @Column(name = "purpose_legitimate_interests")
    public String purposeLegitimateInterests;

    @Column(name = "special_feature_opt_ins")
    public String specialFeatureOptIns;

    @Column(name = "vendor_consents")
    public String vendorConsents;

    @Column(name = "recorded_at")
    public Instant recordedAt;
}
