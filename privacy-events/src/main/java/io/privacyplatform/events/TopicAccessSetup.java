package io.privacyplatform.events;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Puts {@link TopicAccess} on a broker: a SCRAM-SHA-512 credential per principal and exactly the table's ACLs for
 * those principals (a grant no longer in the table is removed, so re-running after a change of the table is enough).
 * It must run as a super user of the broker. The local run calls {@link #main}; tests call {@link #apply}.
 */
public final class TopicAccessSetup {

    /** Iterations of the stored SCRAM credential (Kafka's minimum for SHA-512 is 4096). */
    public static final int SCRAM_ITERATIONS = 8192;

    private TopicAccessSetup() {
    }

    /** What {@link #apply} changed. */
    public record Result(int principals, int grants, int created, int removed) {
    }

    /**
     * Sets the password of each principal in {@code passwords} and makes the ACLs of those principals exactly
     * {@code grants}' (every grant must belong to one of them).
     */
    public static Result apply(Admin admin, Map<String, String> passwords, List<TopicAccess.Grant> grants)
            throws Exception {
        Set<String> principals = new HashSet<>();
        passwords.keySet().forEach(user -> principals.add(TopicAccess.userPrincipal(user)));
        List<AclBinding> wanted = grants.stream().map(TopicAccess.Grant::aclBinding).toList();
        for (AclBinding binding : wanted) {
            if (!principals.contains(binding.entry().principal())) {
                throw new IllegalArgumentException("a grant for a principal without a password: " + binding);
            }
        }

        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        passwords.forEach((user, password) -> credentials.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
        admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);

        Collection<AclBinding> existing = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)
                .stream().filter(binding -> principals.contains(binding.entry().principal())).toList();
        List<AclBindingFilter> stale = existing.stream().filter(binding -> !wanted.contains(binding))
                .map(AclBinding::toFilter).toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
        }
        List<AclBinding> missing = wanted.stream().filter(binding -> !existing.contains(binding)).toList();
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
        }
        return new Result(passwords.size(), wanted.size(), missing.size(), stale.size());
    }

    /**
     * {@code TopicAccessSetup <admin-client.properties> <credentials-dir>}: applies {@link TopicAccess#grants()}
     * with the admin client the properties file describes (bootstrap servers and the super user's security
     * settings), each principal's password read from {@code <credentials-dir>/<principal>.password}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TopicAccessSetup <admin-client.properties> <credentials-dir>");
            System.exit(2);
        }
        Properties adminProperties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            adminProperties.load(reader);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String principal : TopicAccess.principals()) {
            passwords.put(principal, password(Path.of(args[1]).resolve(principal + ".password")));
        }
        try (Admin admin = Admin.create(adminProperties)) {
            Result result = apply(admin, passwords, TopicAccess.grants());
            System.out.println(result.principals() + " principals, " + result.grants() + " ACLs (" + result.created()
                    + " created, " + result.removed() + " removed)");
        }
    }

    private static String password(Path file) throws IOException {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IllegalArgumentException("empty password in " + file);
        }
        return password;
    }
}
