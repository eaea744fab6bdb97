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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * The first principals, so that somebody can log in: the admin of tenant {@code default} with
 * {@code AGENTLEDGER_BOOTSTRAP_ADMIN_KEY} (in standalone mode a generated key, printed once and kept in the data
 * directory) and the operator with {@code AGENTLEDGER_BOOTSTRAP_OPERATOR_KEY}. Their ids are fixed, so a restart
 * with the same variables creates nothing twice.
 */
@Component
class Bootstrap implements ApplicationRunner {

    static final String ADMIN_ID = UUID.nameUUIDFromBytes("agentledger:bootstrap:admin".getBytes()).toString();
    static final String OPERATOR_ID = UUID.nameUUIDFromBytes("agentledger:bootstrap:operator".getBytes()).toString();
    static final String GENERATED_KEY_FILE = "bootstrap-admin-key";
    private static final Caller SYSTEM = new Caller(Caller.DEFAULT_TENANT, Caller.SYSTEM_PRINCIPAL,
            Role.OPERATOR.json(), List.of());
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final CommandSender commands;
    private final Credentials credentials;
    private final ApiKeys apiKeys;
    private final String adminKey;
    private final String operatorKey;
    private final boolean generateAdminKey;
    private final Path dataDirectory;

    Bootstrap(CommandSender commands, Credentials credentials, ApiKeys apiKeys,
              @Value("${agentledger.bootstrap.admin-key:}") String adminKey,
              @Value("${agentledger.bootstrap.operator-key:}") String operatorKey,
              @Value("${agentledger.bootstrap.generate-admin-key:false}") boolean generateAdminKey,
              @Value("${agentledger.data-dir:./data}") Path dataDirectory) {
        this.commands = commands;
        this.credentials = credentials;
        this.apiKeys = apiKeys;
        this.adminKey = adminKey;
        this.operatorKey = operatorKey;
        this.generateAdminKey = generateAdminKey;
        this.dataDirectory = dataDirectory;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!credentials.principalExists(ADMIN_ID)) {
            String key = adminKey.isEmpty() && generateAdminKey ? generatedAdminKey() : adminKey;
            if (!key.isEmpty()) {
                ApiKeys.Issued issued = apiKeys.of(key);
                createUnlessAnotherNodeDid(ADMIN_ID, () -> commands.send(new CreateTenantCommand(Caller.DEFAULT_TENANT,
                        Caller.DEFAULT_TENANT, ADMIN_ID, issued.id(), issued.hash()), SYSTEM));
                log.info("Created tenant '{}' and its bootstrap admin {}", Caller.DEFAULT_TENANT, ADMIN_ID);
            }
        } else if (!adminKey.isEmpty() && !credentials.apiKeyHashExists(apiKeys.hash(adminKey))) {
            log.warn("AGENTLEDGER_BOOTSTRAP_ADMIN_KEY is not the key of the existing bootstrap admin; it was ignored");
        }
        if (!operatorKey.isEmpty() && !credentials.principalExists(OPERATOR_ID)) {
            ApiKeys.Issued issued = apiKeys.of(operatorKey);
            createUnlessAnotherNodeDid(OPERATOR_ID, () -> commands.send(new RegisterPrincipalCommand(OPERATOR_ID,
                    Caller.DEFAULT_TENANT, "operator", Role.OPERATOR, List.of(), issued.id(), issued.hash()), SYSTEM));
            log.info("Created the bootstrap operator {}", OPERATOR_ID);
        }
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

    /** Printed to the console once, never to the log; kept owner-readable in the data directory. */
    private String generatedAdminKey() {
        Path file = dataDirectory.resolve(GENERATED_KEY_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            String key = Secrets.newCredential(ApiKeys.PREFIX);
            Files.createDirectories(dataDirectory);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            System.out.println("\nAgentLedger admin API key of tenant 'default' (shown once; also in " + file + "):\n"
                    + "    " + key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the bootstrap admin key in " + file, e);
        }
    }
}
