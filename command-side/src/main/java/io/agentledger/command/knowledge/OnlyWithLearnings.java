package io.agentledger.command.knowledge;

import io.agentledger.api.task.TaskCompletedEvent;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.stereotype.Component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an event handler annotated {@link Handles} decline a {@link TaskCompletedEvent} that carries no learnings,
 * so that its streaming processor skips such a completion as it skips an event type nobody handles: no unit of
 * work, no transaction and no token commit for it (the token advances with the next handled event or the claim's
 * periodic extension).
 */
@Component
class OnlyWithLearnings implements HandlerEnhancerDefinition {

    /** Marks a {@code TaskCompletedEvent} handler that has nothing to do for a completion without learnings. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @interface Handles {
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.hasAnnotation(Handles.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public boolean canHandle(Message<?> message) {
                return super.canHandle(message) && message.getPayload() instanceof TaskCompletedEvent completed
                        && !completed.learnings().isEmpty();
            }
        };
    }
}
