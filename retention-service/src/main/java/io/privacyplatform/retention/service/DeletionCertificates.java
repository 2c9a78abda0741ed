package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.retention.Certificate;
import io.privacyplatform.retention.CommandState;
import io.privacyplatform.retention.RightsRequest;
import io.privacyplatform.retention.SubjectCommand;
import io.privacyplatform.retention.repository.CertificateRepository;
import io.privacyplatform.retention.repository.SubjectCommandRepository;
import io.privacyplatform.support.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The signed statement of what a completed erasure did in each system that was searched, what each store retained
 * (and why), what legal holds kept, and whether the subject's data keys were destroyed ({@link CryptoShredding}).
 */
@ApplicationScoped
public class DeletionCertificates {

    private static final TypeReference<List<Map<String, String>>> HELD = new TypeReference<>() {
    };

    @Inject
    CertificateRepository certificates;

    @Inject
    CertificateSigner signer;

    @Inject
    CryptoShredding shredding;

    @Inject
    SubjectCommandRepository commandsOfRequests;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public Certificate issue(RightsRequest request, List<SubjectCommand> commands) {
        Instant issuedAt = clock.instant();
        Map<String, Object> body = new TreeMap<>();
        body.put("requestId", request.requestId);
        body.put("tenantId", request.tenantId);
        body.put("subjectPseudonym", request.subjectPseudonym);
        List<Map<String, Object>> systems = new ArrayList<>();
        List<Map<String, String>> held = new ArrayList<>(readHeld(request.held));
        for (SubjectCommand command : commands.stream().filter(DeletionCertificates::searched)
                .sorted(Comparator.comparing(c -> c.systemId)).toList()) {
            Map<String, Object> system = answerOf(command);
            if (command.state == CommandState.HELD && command.heldCategories.length == 0 && command.detail != null) {
                // The store itself kept the data: its reason covers the categories it was asked to erase.
                for (String category : command.categories) {
                    held.add(Map.of("category", category, "reason", command.detail, "system", command.systemId));
                }
            }
            systems.add(system);
        }
        body.put("systems", systems);
        held.sort(Comparator.comparing((Map<String, String> h) -> h.get("category"))
                .thenComparing(h -> h.getOrDefault("system", "")));
        body.put("held", held);
        body.put("issuedAt", issuedAt.toString());
        body.put("keyId", signer.keyId());
        body.putAll(shredding.shredIfNothingKept(request, commands));
        String canonical = signer.canonical(body);
        Certificate certificate = new Certificate();
        certificate.requestId = request.requestId;
        certificate.tenantId = request.tenantId;
        certificate.body = canonical;
        certificate.signature = signer.sign(canonical);
        certificate.issuedAt = issuedAt;
        certificates.persist(certificate);
        return certificate;
    }

    /**
     * Amends the request's certificate with a deferred erasure that finished after legal holds ended: appends
     * {@code {issuedAt, systems, released, supersedes}} to {@code amendments} and signs the whole certificate again
     * (same canonical form). {@code supersedes} is the signature of the version it replaces, so whoever holds an
     * earlier version can tell it was amended, not rewritten. The original content stays as it was: the categories
     * the holds kept remain listed under {@code held}, and the amendment says when and how they were erased.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Certificate amend(RightsRequest request, List<SubjectCommand> deferred, Map<String, String> released) {
        Certificate certificate = certificates.findById(request.requestId);
        if (certificate == null) {
            throw new IllegalStateException("request " + request.requestId + " has no certificate to amend");
        }
        Map<String, Object> body = read(certificate.body);
        List<Object> amendments = new ArrayList<>();
        if (body.get("amendments") instanceof List<?> earlier) {
            amendments.addAll(earlier);
        }
        Map<String, Object> amendment = new TreeMap<>();
        amendment.put("issuedAt", clock.instant().toString());
        amendment.put("supersedes", certificate.signature);
        List<Map<String, Object>> systems = new ArrayList<>();
        for (SubjectCommand command : deferred.stream().sorted(Comparator.comparing(c -> c.systemId)).toList()) {
            Map<String, Object> system = answerOf(command);
            system.put("categories", List.of(command.categories));
            systems.add(system);
        }
        amendment.put("systems", systems);
        List<Map<String, String>> releasedList = new ArrayList<>();
        released.forEach((category, reason) -> releasedList.add(Map.of("category", category, "reason", reason)));
        amendment.put("released", releasedList);
        if (!Boolean.TRUE.equals(body.get("cryptoShredded"))) {
            // The keys were kept for what the holds kept: the amendment says whether they are gone now.
            List<SubjectCommand> all = new ArrayList<>(commandsOfRequests.ofRequest(request.requestId));
            all.addAll(deferred);
            amendment.putAll(shredding.shredIfNothingKept(request, all));
        }
        amendments.add(amendment);
        body.put("amendments", amendments);
        // Signed again with today's key: the body names it, so the amended version verifies after a rotation.
        body.put("keyId", signer.keyId());
        String canonical = signer.canonical(body);
        certificate.body = canonical;
        certificate.signature = signer.sign(canonical);
        return certificate;
    }

    /** The certificate as JSON: the signed body plus {@code signature}. 404 for another tenant or before completion. */
    public Map<String, Object> find(String tenantId, String requestId) {
        Certificate certificate = certificates.findById(requestId);
        if (certificate == null || !certificate.tenantId.equals(tenantId)) {
            throw ApiException.notFound("certificate");
        }
        Map<String, Object> json = read(certificate.body);
        json.put("signature", certificate.signature);
        return json;
    }

    private static Map<String, Object> read(String body) {
        try {
            return new TreeMap<>(CertificateSigner.CANONICAL.readValue(body, new TypeReference<Map<String, Object>>() {
            }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored certificate unreadable", e);
        }
    }

    /** A system was searched when its command was sent; one waiting for a missing identifier was not. */
    private static boolean searched(SubjectCommand command) {
        return command.state != CommandState.ACTION_REQUIRED;
    }

    /**
     * What the store kept ({@code retained}, by category, as it acked it) and, for a DONE erasure, the categories it
     * deleted: those it was asked to erase minus any it retained, so a retained category is never named as deleted.
     */
    private static void putRetainedAndDeleted(Map<String, Object> system, SubjectCommand command) {
        List<Map<String, String>> retained = command.retained.stream()
                .sorted(Comparator.comparing(Retained::category).thenComparing(Retained::basis))
                .map(r -> Map.of("category", r.category(), "basis", r.basis(), "form", r.form())).toList();
        if (!retained.isEmpty()) {
            system.put("retained", retained);
        }
        // A store that erased nothing (0 records) is not said to have deleted a category: it found nothing there.
        if (command.outcome == AckOutcome.DONE && command.records > 0) {
            Set<String> kept = command.retained.stream().map(Retained::category).collect(Collectors.toSet());
            system.put("deleted", Arrays.stream(command.categories).filter(c -> !kept.contains(c)).sorted().toList());
        }
    }

    private static List<Map<String, String>> readHeld(String json) {
        try {
            return json == null ? List.of() : CertificateSigner.CANONICAL.readValue(json, HELD);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored holds unreadable", e);
        }
    }

    /** What one system answered, as a certificate states it (with the store's reason when it held the data). */
    private static Map<String, Object> answerOf(SubjectCommand command) {
        Map<String, Object> system = new TreeMap<>();
        system.put("system", command.systemId);
        system.put("outcome", command.outcome == null ? null : command.outcome.name());
        system.put("records", command.records);
        putIfPresent(system, "digest", command.digest);
        putIfPresent(system, "completedAt", command.completedAt == null ? null : command.completedAt.toString());
        putRetainedAndDeleted(system, command);
        if (command.state == CommandState.HELD) {
            putIfPresent(system, "detail", command.detail);
        }
        return system;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
