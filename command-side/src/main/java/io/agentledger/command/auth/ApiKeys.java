package io.agentledger.command.auth;

import org.springframework.stereotype.Component;

import java.util.UUID;

/** New API keys: 256 random bits shown once, remembered only as a keyed hash. */
@Component
public class ApiKeys {

    static final String PREFIX = "alk_";

    private final Secrets secrets;

    ApiKeys(Secrets secrets) {
        this.secrets = secrets;
    }

    public record Issued(String id, String value, String hash) {

        @Override
        public String toString() {
            return "Issued[id=" + id + "]";
        }
    }

    public Issued issue() {
        return of(Secrets.newCredential(PREFIX));
    }

    /** A key chosen by the operator (bootstrap variables) instead of generated. */
    public Issued of(String value) {
        return new Issued(UUID.randomUUID().toString(), value, secrets.hash(value));
    }

    public String hash(String value) {
        return secrets.hash(value);
    }
}
