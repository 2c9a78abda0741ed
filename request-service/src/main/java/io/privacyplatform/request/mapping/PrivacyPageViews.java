package io.privacyplatform.request.mapping;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.RequestStatus;
import io.privacyplatform.request.RequestType;
import io.privacyplatform.request.RightsRequest;
import io.privacyplatform.request.config.RequestsConfig;
import io.privacyplatform.request.service.DeadlineCalendar;
import io.privacyplatform.request.service.PrivacyPage;
import io.quarkus.qute.TemplateData;

/**
 * What the public privacy page's templates show a data subject: a person's words for statuses and steps, dates as
 * they read them, and nothing internal (no system names, no operator's notes). A bean, like {@link RequestViews},
 * because a request's progress depends on the service's now and on the verification settings.
 */
@ApplicationScoped
public class PrivacyPageViews {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** The rights the form offers, in the order of the GDPR's articles, with what a person reads. */
    private static final Map<RequestType, String> RIGHTS = rights();

    @Inject
    Clock clock;

    @Inject
    RequestsConfig config;

    @Inject
    RequestViews requestViews;

    @TemplateData
    public record Right(String value, String label) {
    }

    /** What the form sent back, to show it again with the problems. */
    @TemplateData
    public record Entered(String type, String email, String details, String field, String value) {
    }

    @TemplateData
    public record Problem(String field, String text) {
    }

    /** One system's part of the request, without its name or anything else internal. */
    @TemplateData
    public record Step(String label, String state, String text) {
    }

    /** A request as its data subject sees it. */
    @TemplateData
    public record Progress(String id, String type, String status, String statusText, String received, String due,
            Long daysLeft, boolean overdue, boolean open, String outcome, List<Step> steps, long stepsDone,
            boolean awaitingCode, boolean locked, String codeExpires, boolean exportAvailable) {
    }

    /** The form's choices, in the order of the GDPR's articles. */
    public List<Right> rightChoices() {
        List<Right> rights = new ArrayList<>();
        RIGHTS.forEach((type, label) -> rights.add(new Right(type.wire(), label)));
        return rights;
    }

    /** Whether the form offers this right (the API knows types the page does not ask for). */
    public boolean offers(RequestType type) {
        return RIGHTS.containsKey(type);
    }

    /** The first problem of each field, for the message next to it. */
    public Map<String, String> problemsByField(List<Problem> problems) {
        Map<String, String> byField = new LinkedHashMap<>();
        problems.forEach(p -> byField.putIfAbsent(p.field(), p.text()));
        return byField;
    }

    /** Until when a download link made now works. */
    public String downloadValidity() {
        return MINUTE.format(clock.instant().plus(config.privacyPage().downloadLinkValidity()));
    }

    public Progress progress(RightsRequest r) {
        Instant now = clock.instant();
        boolean open = r.status.open();
        Instant due = r.effectiveDueAt();
        List<SystemProgress> systems = requestViews.systems(r);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < systems.size(); i++) {
            String state = stepState(systems.get(i));
            steps.add(new Step("Part " + (i + 1), state, stepText(state)));
        }
        long done = steps.stream().filter(s -> s.state().equals("done")).count();
        boolean awaitingCode = r.status == RequestStatus.IDENTITY_UNVERIFIED;
        boolean locked = awaitingCode && r.verificationAttempts >= config.verification().maxAttempts();
        return new Progress(r.id.toString(), RIGHTS.getOrDefault(r.type, r.type.wire()), r.status.wire(),
                statusText(r), DAY.format(r.receivedAt), DAY.format(due),
                open ? DeadlineCalendar.daysLeft(now, due) : null, open && DeadlineCalendar.overdue(now, due), open,
                outcome(r), steps, done, awaitingCode && !locked, locked,
                awaitingCode && r.verificationExpiresAt != null ? MINUTE.format(r.verificationExpiresAt) : null,
                PrivacyPage.exportAvailable(r));
    }

    /** The text for a redirect's {@code ?notice=} key; anything else in the query shows nothing. */
    public String notice(String key) {
        if ("verified".equals(key)) {
            return "Thank you: your request is confirmed.";
        }
        if ("code_sent".equals(key)) {
            return "We have e-mailed you a new code.";
        }
        return null;
    }

    /** What a person reads for a status: no internal reasons (an operator's note on action_required stays inside). */
    private static String statusText(RightsRequest r) {
        return switch (r.status) {
            case IDENTITY_UNVERIFIED -> "Waiting for the code we e-mailed you";
            case VERIFIED -> "Confirmed: we are starting on it";
            case IN_PROGRESS -> "In progress";
            case ACTION_REQUIRED -> "In progress: a member of our team is looking at it";
            case COMPLETED -> "Completed";
            case DENIED -> "Refused";
            case CANCELLED -> "Withdrawn";
            case FAILED -> "Could not be completed: we will contact you";
            default -> "Passed on to the organisation responsible";
        };
    }

    /** The reason the person was given by e-mail anyway (denial, an operator's resolution); nothing else. */
    private static String outcome(RightsRequest r) {
        if (r.status == RequestStatus.DENIED) {
            return r.outcomeReason;
        }
        if (r.status == RequestStatus.COMPLETED && r.resolution != null) {
            return r.resolution;
        }
        return null;
    }

    private static String stepState(SystemProgress s) {
        if ("done".equals(s.state()) || "completed".equals(s.state())) {
            return "done";
        }
        if ("failed".equals(s.state())) {
            return "failed";
        }
        return "working";
    }

    private static String stepText(String state) {
        return switch (state) {
            case "done" -> "finished";
            case "failed" -> "could not finish";
            default -> "in progress";
        };
    }

    private static Map<RequestType, String> rights() {
        Map<RequestType, String> rights = new LinkedHashMap<>();
        rights.put(RequestType.INFORMATION, "Information about how my data is used (Art. 13/14)");
        rights.put(RequestType.ACCESS, "A copy of my data (access, Art. 15)");
        rights.put(RequestType.RECTIFICATION, "Correct my data (rectification, Art. 16)");
        rights.put(RequestType.ERASURE, "Delete my data (erasure, Art. 17)");
        rights.put(RequestType.RESTRICTION, "Restrict the use of my data (Art. 18)");
        rights.put(RequestType.PORTABILITY, "My data in a portable format (portability, Art. 20)");
        rights.put(RequestType.OBJECTION, "Object to the use of my data (Art. 21)");
        rights.put(RequestType.AUTOMATED_DECISION_REVIEW, "A person to review an automated decision (Art. 22)");
        return Collections.unmodifiableMap(rights);
    }
}
