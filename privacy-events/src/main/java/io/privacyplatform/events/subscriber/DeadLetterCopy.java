package io.privacyplatform.events.subscriber;

import static io.privacyplatform.events.subscriber.CommandSubscriber.HEADER_DLQ_ERROR;
import static io.privacyplatform.events.subscriber.CommandSubscriber.HEADER_DLQ_ORIGINAL_OFFSET;
import static io.privacyplatform.events.subscriber.CommandSubscriber.HEADER_DLQ_ORIGINAL_PARTITION;
import static io.privacyplatform.events.subscriber.CommandSubscriber.HEADER_DLQ_ORIGINAL_TOPIC;
import static io.privacyplatform.events.subscriber.CommandSubscriber.HEADER_DLQ_SYSTEM;
import static io.privacyplatform.events.subscriber.CommandSubscriber.HEADER_DLQ_VALUE_DROPPED;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.privacyplatform.events.Topics;

/**
 * The copy of a record the kit cannot read, for {@code <topic>.dlq}: the same key, value and headers, plus headers
 * that say why, where from and which store rejected it (every store reads, and rejects, the same poison record).
 * Error headers of an earlier dead-lettering (a record replayed from the DLQ) are replaced, not repeated.
 */
final class DeadLetterCopy {

    private static final List<String> DLQ_HEADERS = List.of(HEADER_DLQ_ERROR, HEADER_DLQ_ORIGINAL_TOPIC,
            HEADER_DLQ_ORIGINAL_PARTITION, HEADER_DLQ_ORIGINAL_OFFSET, HEADER_DLQ_SYSTEM, HEADER_DLQ_VALUE_DROPPED);

    private DeadLetterCopy() {
    }

    static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> record, RuntimeException error,
            String systemName) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        DLQ_HEADERS.forEach(headers::remove);
        String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
        headers.add(HEADER_DLQ_ERROR, utf8(StoreRules.truncate(message)));
        headers.add(HEADER_DLQ_ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(HEADER_DLQ_ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(HEADER_DLQ_ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(HEADER_DLQ_SYSTEM, utf8(systemName));
        return new ProducerRecord<>(Topics.deadLetterOf(record.topic()), null, null, record.key(), record.value(),
                headers);
    }

    /** The copy for a value too large for the broker: without the value, with its size in a header instead. */
    static ProducerRecord<byte[], byte[]> withoutValue(ProducerRecord<byte[], byte[]> copy, int valueSize) {
        Headers headers = new RecordHeaders(copy.headers().toArray());
        headers.add(HEADER_DLQ_VALUE_DROPPED, utf8(Integer.toString(valueSize)));
        return new ProducerRecord<>(copy.topic(), null, null, copy.key(), null, headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
