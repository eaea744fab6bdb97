package io.agentledger.command.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.principal.Role;
import io.agentledger.api.task.ExpireTaskLeaseCommand;
import io.agentledger.command.DomainException;
import io.agentledger.command.registry.HeldLease;
import io.agentledger.command.registry.Registry;
import io.agentledger.command.web.CommandSender;
import org.axonframework.eventhandling.GenericEventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Finds the leases that ran out in the registry and sends each task an {@link ExpireTaskLeaseCommand}; the task
 * decides. Run by one recurring db-scheduler task ({@code TaskConfiguration.leaseSweepTask}), which executes on one
 * node at a time, so a claim costs no scheduled row of its own and a completion leaves nothing behind. Leases that
 * ran out while every node was down are simply found by the first sweep after the start.
 */
@Component
public class LeaseSweep {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweep.class);

    private final Registry registry;
    private final CommandSender commands;
    private final int batchSize;

    LeaseSweep(Registry registry, CommandSender commands,
               @Value("${agentledger.leases.sweep-batch-size:100}") int batchSize) {
        this.registry = registry;
        this.commands = commands;
        this.batchSize = batchSize;
    }

    /** Expires every lease that ran out before this sweep began, oldest first; answers how many it sent. */
    public int sweep() {
        int adopted = registry.adoptLeasesFromEvents();
        if (adopted > 0) {
            log.info("Took over the leases of {} tasks claimed without one in the registry", adopted);
        }
        // the clock the task decides by, read before any command is sent: what is due now is due when it decides
        Instant now = GenericEventMessage.clock.instant();
        int sent = 0;
        HeldLease last = null;
        List<HeldLease> batch;
        do {
            batch = registry.expiredLeases(now, last, batchSize);
            for (HeldLease lease : batch) {
                expire(lease);
                sent++;
                last = lease;
            }
        } while (batch.size() == batchSize);
        return sent;
    }

    private void expire(HeldLease lease) {
        try {
            commands.send(new ExpireTaskLeaseCommand(lease.taskId(), lease.tenantId(), lease.leaseId()),
                    system(lease.tenantId()));
        } catch (DomainException e) {
            if (e.code() != ErrorCode.LEASE_NOT_HELD) {
                throw e;
            }
            // a heartbeat or the claimant got there first: nothing ran out
            log.debug("Lease {} of task {} did not run out after all", lease.leaseId(), lease.taskId());
        } catch (RuntimeException e) {
            // left in the registry as it is, so the next sweep tries again
            log.warn("Could not expire lease {} of task {}; the next sweep tries again", lease.leaseId(),
                    lease.taskId(), e);
        }
    }

    /** The platform acting in the task's tenant: the metadata of the expiry event says who expired the lease. */
    private static Caller system(String tenantId) {
        return new Caller(tenantId, Caller.SYSTEM_PRINCIPAL, Role.OPERATOR.json(), List.of());
    }
}
