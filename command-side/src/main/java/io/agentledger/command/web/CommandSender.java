package io.agentledger.command.web;

import io.agentledger.api.common.Caller;
import io.agentledger.command.config.StaleRefusals;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends a command on behalf of a caller. Who, for which tenant and in which request travel as metadata; Axon's
 * correlation data providers copy them onto every event the command causes.
 */
@Component
public class CommandSender {

    static final long TIMEOUT_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(CommandSender.class);

    private final CommandGateway gateway;

    public CommandSender(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command, Caller caller) {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put("tenantId", caller.tenantId());
        metaData.put("principalId", caller.principalId());
        metaData.put("role", caller.role());
        String requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            metaData.put("requestId", requestId);
        }
        log.debug("Sending {}", command.getClass().getSimpleName());
        try {
            return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(MetaData.from(metaData)), TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (StaleRefusals.RefusedOnCachedState e) {
            // re-checked on fresh loads until the retries ran out: the refusal stands
            throw e.refusal();
        }
    }
}
