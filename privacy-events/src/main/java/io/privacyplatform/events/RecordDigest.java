package io.privacyplatform.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The digest in {@code CommandAck.digest}: lower-case hex SHA-256 over the ids of the records a command affected,
 * independent of the order in which a store found them. The ids are treated as a set (duplicates count once),
 * sorted in {@link String#compareTo} order (UTF-16 code units; for ASCII ids simply byte order) and joined with
 * {@code '\n'}, without a trailing newline; the UTF-8 bytes of that text are hashed. No ids → the digest of the empty
 * string, {@value #EMPTY}.
 *
 * <p>Anyone holding the same ids (an auditor, a re-run of the command) can recompute the digest and compare, without
 * the ids themselves having to travel on the ack topic.
 */
public final class RecordDigest {

    /** SHA-256 of the empty string: the digest of no records. */
    public static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private RecordDigest() {
    }

    /**
     * @throws IllegalArgumentException if an id is null or contains a line feed (it would make the joined text
     *         ambiguous)
     */
    public static String of(Collection<String> recordIds) {
        return hash(String.join("\n", distinctSorted(recordIds)));
    }

    public static String of(String... recordIds) {
        return of(Arrays.asList(recordIds));
    }

    /** How many distinct ids {@link #of(Collection)} digests. */
    public static int count(Collection<String> recordIds) {
        return distinctSorted(recordIds).size();
    }

    private static SortedSet<String> distinctSorted(Collection<String> recordIds) {
        Objects.requireNonNull(recordIds, "recordIds");
        SortedSet<String> sorted = new TreeSet<>();
        for (String id : recordIds) {
            if (id == null) {
                throw new IllegalArgumentException("record id must not be null");
            }
            if (id.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("record id must not contain a line feed");
            }
            sorted.add(id);
        }
        return sorted;
    }

    private static String hash(String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
