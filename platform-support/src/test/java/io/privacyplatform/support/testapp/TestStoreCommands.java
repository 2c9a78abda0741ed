package io.privacyplatform.support.testapp;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.Retained;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;

/**
 * The test store's handler: records one {@code store_effect} row per run, then answers what the command's first
 * category asks for, so each test can provoke one rule.
 */
@ApplicationScoped
public class TestStoreCommands implements CommandHandler {

    public static final String SYSTEM = "support-test-store";
    /** Answers DONE with two records (an EXPORT: with {@link #EXPORTED} as data). */
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** Answers DONE with two records and {@link #KEPT} as what it retained. */
    public static final String RETAINED = "retained";
    public static final Retained KEPT = Retained.of("marketing_suppression", "do-not-contact list",
            "keyed hash (HMAC-SHA256, tenant key)");
    /** Answers DONE with data, which only an EXPORT may carry. */
    public static final String DATA = "data";
    /** Answers with more data than an ack can carry, and not an array: it cannot be split. */
    public static final String OVERSIZE = "oversize";
    /** Answers with an array of {@value #LARGE_ARRAY_ITEMS} items, far more than one ack can carry. */
    public static final String LARGE_ARRAY = "large-array";
    public static final int LARGE_ARRAY_ITEMS = 30_000;
    /** Answers HELD with a reason of {@value #LONG_DETAIL_CHARS} characters. */
    public static final String LONG_DETAIL = "long-detail";
    public static final int LONG_DETAIL_CHARS = 2000;
    /** Throws IllegalArgumentException after its effect: the command itself is at fault. */
    public static final String REJECT = "reject";
    public static final List<String> RECORDS = List.of("rec-1", "rec-2");
    public static final String EXPORTED = "{\"items\":[\"rec-1\",\"rec-2\"]}";

    @Inject
    EntityManager entityManager;

    @Inject
    EventCodec codec;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommandResult handle(PrivacyCommand command, EventEnvelope envelope) throws Exception {
        entityManager.createNativeQuery("INSERT INTO store_effect (command_id, kind) VALUES (?1, ?2)")
                .setParameter(1, command.commandId()).setParameter(2, command.kind().name()).executeUpdate();
        return switch (command.categories().get(0)) {
            case DONE -> switch (command.kind()) {
                case EXPORT -> CommandResult.exported(RECORDS, codec.mapper().readTree(EXPORTED));
                default -> CommandResult.done(RECORDS);
            };
            case FAILED -> CommandResult.failed("archive offline");
            case RETAINED -> CommandResult.done(RECORDS).withRetained(List.of(KEPT));
            case DATA -> CommandResult.exported(RECORDS, codec.mapper().readTree(EXPORTED));
            case OVERSIZE -> CommandResult.exported(RECORDS,
                    JsonNodeFactory.instance.textNode("x".repeat(EventCodec.MAX_PAYLOAD_BYTES)));
            case LARGE_ARRAY -> largeArray();
            case LONG_DETAIL -> CommandResult.held("h".repeat(LONG_DETAIL_CHARS));
            case REJECT -> throw new IllegalArgumentException("the test store rejects this command");
            default -> throw new IllegalStateException("unknown instruction " + command.categories());
        };
    }

    /** Items of about 80 bytes each, numbered so their order shows: about 2.4 MB in all. */
    private CommandResult largeArray() {
        ArrayNode items = codec.mapper().createArrayNode();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LARGE_ARRAY_ITEMS; i++) {
            items.addObject().put("n", i).put("subject", "Your invoice number " + i)
                    .put("to", "someone-" + i + "@example.com");
            ids.add("item-" + i);
        }
        return CommandResult.exported(ids, items);
    }
}
