package io.privacyplatform.events.subscriber;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * The rules every store follows for one command, whichever way it receives commands: the plain
 * {@link CommandSubscriber}, or platform-support's transactional mode for Quarkus services. Which commands are
 * this store's, how a {@link CommandResult} becomes the {@link CommandAck}s it publishes (one, or an export's
 * ordered parts), and which acks it remembers. The rules and what a handler must guarantee are described once, in
 * {@code docs/events.md}, section "Stores: receiving commands".
 */
public final class StoreRules {

    /** Detail texts (and the kit's DLQ error headers) are cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = 1000;

    /**
     * The largest encoded ack of an EXPORT split into parts: below {@link EventCodec#MAX_PAYLOAD_BYTES}, with a
     * margin, so no part is ever refused by the codec or the broker.
     */
    public static final int PART_PAYLOAD_BYTES = EventCodec.MAX_PAYLOAD_BYTES - 64 * 1024;

    /** More parts than this (hundreds of megabytes) is not an export an ack topic should carry. */
    static final int MAX_PARTS = 99_999;

    /** The reason in the ack of a refused PURGE of every account. */
    public static final String NO_DECISION = "refused: a PURGE of every account needs the decisionId of a"
            + " platform admin's recorded decision; nothing purged";

    private static final Logger LOG = LoggerFactory.getLogger(StoreRules.class);
    private static final Pattern SYSTEM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String systemName;
    private final EventCodec codec;
    private final Clock clock;

    /**
     * @param codec encodes the ack to check its size
     * @param clock for the ack's {@code completedAt}
     */
    public StoreRules(String systemName, EventCodec codec, Clock clock) {
        this.systemName = requireSystemName(systemName);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A system's name as every subscriber needs it (a store, a consent subscriber): usable in an event's
     * {@code ce_source} and in a consumer group's name.
     */
    static String requireSystemName(String systemName) {
        if (systemName == null || systemName.isBlank()) {
            throw new IllegalArgumentException("systemName is required");
        }
        if (!SYSTEM_NAME.matcher(systemName).matches()) {
            throw new IllegalArgumentException("systemName must match " + SYSTEM_NAME + ": " + systemName);
        }
        return systemName;
    }

    public String systemName() {
        return systemName;
    }

    /** The {@code ce_source} of this store's acks. */
    public String source() {
        return "/stores/" + systemName;
    }

    /**
     * {@code handler} behind the rules that hold before any handler acts: a PURGE of every account (tenant
     * {@value PrivacyCommand#EVERY_ACCOUNT}) without a {@code decisionId} is answered {@code FAILED} with the reason
     * and the handler is not called, so nothing is purged. Such a PURGE deletes by age across all tenants; the
     * issuer sends it only for a platform admin's recorded decision, so one without is forged or broken.
     */
    public CommandHandler guarded(CommandHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return (command, envelope) -> {
            if (command.purgesEveryAccount() && command.decisionId() == null) {
                LOG.warn("command {} (PURGE of every account) for {} carries no decisionId; refused, nothing purged",
                        command.commandId(), systemName);
                return CommandResult.failed(NO_DECISION);
            }
            return handler.handle(command, envelope);
        };
    }

    /** Every store reads every command; it acts only on those whose {@code targetSystem} is its own name. */
    public boolean isForThisStore(PrivacyCommand command) {
        return systemName.equals(command.targetSystem());
    }

    /**
     * The acks of {@code command} for the handler's {@code result}, to be published in this order: data only for
     * EXPORT, detail cut to {@value #MAX_DETAIL_CHARS} characters. Usually one ack. An EXPORT whose data is a JSON
     * array too large for one ack is split into ordered parts ({@code part} 1..{@code parts}, each a chunk of the
     * array and each at most {@link #PART_PAYLOAD_BYTES} encoded, all with the same outcome, records and digest);
     * the concatenation of the chunks in part order is the data. Data that cannot be split (not an array, or one
     * item too large on its own) makes a single {@code FAILED} ack.
     */
    public List<CommandAck> acks(PrivacyCommand command, CommandResult result) {
        if (result == null) {
            result = CommandResult.failed("the handler returned no result");
        }
        JsonNode data = result.data();
        if (data != null && command.kind() != CommandKind.EXPORT) {
            LOG.warn("command {} ({}) for {}: the handler returned data for a non-EXPORT command; not sent",
                    command.commandId(), command.kind(), systemName);
            data = null;
        }
        // To the millisecond: a remembered ack read back from a database equals the one that was published.
        CommandAck ack = new CommandAck(command.commandId(), systemName, command.tenantId(), command.requestId(),
                result.outcome(), result.records(), result.digest(), truncate(result.detail()), data,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), result.retained(), null, null);
        List<CommandAck> acks;
        try {
            codec.encodedSize(ack);
            acks = List.of(ack);
        } catch (InvalidEventException tooLarge) {
            try {
                acks = split(ack);
            } catch (InvalidEventException e) {
                LOG.warn("command {} ({}) for {}: the ack is too large and cannot be split; answering FAILED",
                        command.commandId(), command.kind(), systemName);
                acks = List.of(new CommandAck(ack.commandId(), ack.system(), ack.tenantId(), ack.requestId(),
                        AckOutcome.FAILED, 0, null, truncate("the result is too large to acknowledge: "
                                + e.getMessage()), null, ack.completedAt()));
            }
        }
        CommandAck first = acks.get(0);
        LOG.info("command {} ({}) for {}: {} ({} records{})", command.commandId(), command.kind(), systemName,
                first.outcome(), first.records(), acks.size() > 1 ? ", in " + acks.size() + " parts" : "");
        return acks;
    }

    /**
     * {@code whole}'s data array in consecutive chunks, each as many items as fit {@link #PART_PAYLOAD_BYTES} once
     * encoded with the rest of the ack (the sizes add up exactly: the items' own JSON, the commas between them and
     * the ack around them, with room for the part numbers).
     *
     * @throws InvalidEventException the data is not an array, or an item does not fit a part on its own
     */
    private List<CommandAck> split(CommandAck whole) {
        if (!(whole.data() instanceof ArrayNode items)) {
            throw new InvalidEventException("the data is not a JSON array and does not fit one ack");
        }
        // The ack around an empty array, then the largest array (in clear) whose field, sealed if the codec seals,
        // still fits a part: a sealed field's size depends only on its clear size.
        int frame = codec.encodedSize(whole.asPart(MAX_PARTS, MAX_PARTS, codec.mapper().createArrayNode()))
                - codec.fieldSize(2);
        int arrayBudget = largestArrayWithin(PART_PAYLOAD_BYTES - frame);
        List<ArrayNode> chunks = new ArrayList<>();
        ArrayNode chunk = codec.mapper().createArrayNode();
        int size = 2; // the array's brackets
        for (JsonNode item : items) {
            int itemBytes = encodedSize(item);
            if (2 + itemBytes > arrayBudget) {
                throw new InvalidEventException("one exported item of " + itemBytes + " bytes does not fit an ack");
            }
            if (!chunk.isEmpty() && size + 1 + itemBytes > arrayBudget) {
                chunks.add(chunk);
                chunk = codec.mapper().createArrayNode();
                size = 2;
            }
            size += chunk.isEmpty() ? itemBytes : 1 + itemBytes; // a comma before every item but the first
            chunk.add(item);
        }
        chunks.add(chunk);
        if (chunks.size() > MAX_PARTS) {
            throw new InvalidEventException("the data needs more than " + MAX_PARTS + " parts");
        }
        List<CommandAck> parts = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            CommandAck part = whole.asPart(i + 1, chunks.size(), chunks.get(i));
            codec.encodedSize(part); // the sizes above are exact; this only confirms it
            parts.add(part);
        }
        return parts;
    }

    /** The largest clear size of a data array whose field takes at most {@code fieldBudget} bytes on the wire. */
    private int largestArrayWithin(int fieldBudget) {
        int low = 0;
        int high = Math.max(0, fieldBudget);
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (codec.fieldSize(middle) <= fieldBudget) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private int encodedSize(JsonNode item) {
        try {
            return codec.mapper().writeValueAsBytes(item).length;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write an exported item", e);
        }
    }

    /**
     * Whether the store remembers {@code ack} (and answers a re-sent command with it instead of acting again).
     * Not a {@code FAILED} ack: a re-sent failed command must be carried out again. Not an EXPORT's ack: reading
     * again is harmless, and the remembered outcomes then never hold the exported personal data.
     */
    public boolean remembers(PrivacyCommand command, CommandAck ack) {
        return ack.outcome() != AckOutcome.FAILED && command.kind() != CommandKind.EXPORT;
    }

    static String truncate(String text) {
        if (text == null || text.length() <= MAX_DETAIL_CHARS) {
            return text;
        }
        return text.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }
}
