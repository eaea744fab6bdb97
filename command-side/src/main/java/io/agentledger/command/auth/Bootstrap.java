package io.agentledger.command.auth;

import io.agentledger.api.common.Caller;
import io.agentledger.api.principal.RegisterPrincipalCommand;
import io.agentledger.api.principal.Role;
import io.agentledger.api.tenant.CreateTenantCommand;
import io.agentledger.command.principal.Credentials;
import io.agentledger.command.web.CommandSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * The first principals, so that somebody can log in: the admin of tenant {@code default} with
 * {@code AGENTLEDGER_BOOTSTRAP_ADMIN_KEY} and the platform operator with {@code AGENTLEDGER_BOOTSTRAP_OPERATOR_KEY}.
 * In standalone mode a missing admin key is generated, and so is the operator's when neither key is configured:
 * each printed once and kept in the data directory. Their ids are fixed, so a restart creates nothing twice, and a
 * data directory that has an admin but no operator yet (made by a release before the operator was generated) gets
 * its operator on the next start.
 */
@Component
class Bootstrap implements ApplicationRunner {

    static final String ADMIN_ID = UUID.nameUUIDFromBytes("agentledger:bootstrap:admin".getBytes()).toString();
    static final String OPERATOR_ID = UUID.nameUUIDFromBytes("agentledger:bootstrap:operator".getBytes()).toString();
    static final String ADMIN_KEY_FILE = "bootstrap-admin-key";
    static final String OPERATOR_KEY_FILE = "bootstrap-operator-key";
    private static final Caller SYSTEM = new Caller(Caller.DEFAULT_TENANT, Caller.SYSTEM_PRINCIPAL,
            Role.OPERATOR.json(), List.of());
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final CommandSender commands;
    private final Credentials credentials;
    private final ApiKeys apiKeys;
    private final String adminKey;
    private final String operatorKey;
    private final boolean generateKeys;
    private final Path dataDirectory;

    Bootstrap(CommandSender commands, Credentials credentials, ApiKeys apiKeys,
              @Value("${agentledger.bootstrap.admin-key:}") String adminKey,
              @Value("${agentledger.bootstrap.operator-key:}") String operatorKey,
              @Value("${agentledger.bootstrap.generate-keys:false}") boolean generateKeys,
              @Value("${agentledger.data-dir:./data}") Path dataDirectory) {
        this.commands = commands;
        this.credentials = credentials;
        this.apiKeys = apiKeys;
        this.adminKey = adminKey;
        this.operatorKey = operatorKey;
        this.generateKeys = generateKeys;
        this.dataDirectory = dataDirectory;
    }

    @Override
    public void run(ApplicationArguments args) {
        String admin = keyToCreate(ADMIN_ID, adminKey, "AGENTLEDGER_BOOTSTRAP_ADMIN_KEY", generateKeys,
                ADMIN_KEY_FILE, "admin API key of tenant '" + Caller.DEFAULT_TENANT + "'");
        if (admin != null) {
            ApiKeys.Issued issued = apiKeys.of(admin);
            createUnlessAnotherNodeDid(ADMIN_ID, () -> commands.send(new CreateTenantCommand(Caller.DEFAULT_TENANT,
                    Caller.DEFAULT_TENANT, ADMIN_ID, issued.id(), issued.hash()), SYSTEM));
            log.info("Created tenant '{}' and its bootstrap admin {}", Caller.DEFAULT_TENANT, ADMIN_ID);
        }
        // a configured admin key means a configured installation: its operator comes from the variable or not at all
        String operator = keyToCreate(OPERATOR_ID, operatorKey, "AGENTLEDGER_BOOTSTRAP_OPERATOR_KEY",
                generateKeys && adminKey.isEmpty(), OPERATOR_KEY_FILE, "platform operator API key");
        if (operator != null) {
            ApiKeys.Issued issued = apiKeys.of(operator);
            createUnlessAnotherNodeDid(OPERATOR_ID, () -> commands.send(new RegisterPrincipalCommand(OPERATOR_ID,
                    Caller.DEFAULT_TENANT, "operator", Role.OPERATOR, List.of(), issued.id(), issued.hash()), SYSTEM));
            log.info("Created the bootstrap operator {}", OPERATOR_ID);
        }
    }

    /**
     * The key to create a bootstrap principal with: the configured one, else (if {@code generate}) the generated one;
     * null when the principal exists already or there is no key for it.
     */
    private String keyToCreate(String principalId, String configured, String variable, boolean generate,
                               String keyFile, String description) {
        if (credentials.principalExists(principalId)) {
            if (!configured.isEmpty() && !credentials.apiKeyHashExists(apiKeys.hash(configured))) {
                log.warn("{} is not the key of the existing bootstrap principal {}; it was ignored", variable,
                        principalId);
            }
            return null;
        }
        if (!configured.isEmpty()) {
            return configured;
        }
        return generate ? generatedKey(keyFile, description) : null;
    }

    /** Several command nodes starting at once on a new database all try; the first one wins, the others go on. */
    private void createUnlessAnotherNodeDid(String principalId, Runnable create) {
        try {
            create.run();
        } catch (RuntimeException e) {
            if (!credentials.principalExists(principalId)) {
                throw e;
            }
            log.info("Bootstrap principal {} was created by another node", principalId);
        }
    }

    /**
     * Printed to the console once, never to the log; kept owner-readable in the data directory, where a start that
     * failed before creating the principal finds it again.
     */
    private String generatedKey(String keyFile, String description) {
        Path file = dataDirectory.resolve(keyFile);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            String key = Secrets.newCredential(ApiKeys.PREFIX);
            Files.createDirectories(dataDirectory);
            // owner-only from its creation on, so the key is never readable by others, not even for a moment
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            System.out.println("\nAgentLedger " + description + " (shown once; also in " + file + "):\n"
                    + "    " + key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the bootstrap key in " + file, e);
        }
    }
}
