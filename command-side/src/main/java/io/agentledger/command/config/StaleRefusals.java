package io.agentledger.command.config;

import io.agentledger.command.DomainException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * A refusal decided on an aggregate from the cache may rest on state another node has changed since (a task
 * released there still looks claimed here). Such a refusal is not answered: it is thrown as a {@link
 * RefusedOnCachedState}, the unit of work rolls back (which evicts the entry) and the command gateway retries it on
 * a fresh load, whose refusal, if it still refuses, is the answer.
 */
public final class StaleRefusals implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        try {
            return interceptorChain.proceed();
        } catch (DomainException refusal) {
            if (unitOfWork.resources().containsKey(BoundedAggregateCache.SERVED_FROM_CACHE)) {
                throw new RefusedOnCachedState(refusal);
            }
            throw refusal;
        }
    }

    /** A refusal to check again on a fresh load; transient, so the gateway retries it. */
    public static final class RefusedOnCachedState extends RuntimeException {

        RefusedOnCachedState(DomainException refusal) {
            super(refusal.getMessage(), refusal, false, false);
        }

        public DomainException refusal() {
            return (DomainException) getCause();
        }
    }
}
