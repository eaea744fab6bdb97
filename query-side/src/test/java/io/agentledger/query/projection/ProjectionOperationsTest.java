package io.agentledger.query.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.ErrorResponseException;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The parts of the projection operations that depend on a processor's state at one instant. */
class ProjectionOperationsTest {

    private final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
    private final ProjectionOperations operations = new ProjectionOperations(processing, jdbc, new ObjectMapper());

    ProjectionOperationsTest() {
        when(processor.getName()).thenReturn("tasks");
        when(processor.isRunning()).thenReturn(true);
        when(processing.eventProcessor(eq("tasks"), eq(StreamingEventProcessor.class)))
                .thenReturn(Optional.of(processor));
        when(jdbc.queryForObject(anyString(), eq(Long.class))).thenReturn(1000L);
        when(jdbc.queryForObject(anyString(), eq(Long.class), any(Object[].class))).thenReturn(0L);
    }

    @Test
    void replayProgressIsTheMeanOfTheSegmentsProgressTowardsTheirResetPosition() {
        when(processor.isReplaying()).thenReturn(true);
        Map<Integer, EventTrackerStatus> segments = Map.of(
                0, segment(true, 250, 1000),
                1, segment(true, 750, 1000),
                2, segment(false, 1000, 0),
                3, segment(true, 0, 1000));
        when(processor.processingStatus()).thenReturn(segments);

        ProjectionStatus status = operations.status("tasks");

        assertThat(status.state()).isEqualTo("REPLAYING");
        assertThat(status.replayProgress()).isEqualTo((0.25 + 0.75 + 1 + 0) / 4);
        assertThat(status.position()).isZero();
        assertThat(status.headPosition()).isEqualTo(1000);
        assertThat(status.lag()).isEqualTo(1000);
    }

    @Test
    void aProjectionThatIsNotReplayingHasNoReplayProgress() {
        Map<Integer, EventTrackerStatus> segments = Map.of(0, segment(false, 990, 0), 1, segment(false, 995, 0));
        when(processor.processingStatus()).thenReturn(segments);

        ProjectionStatus status = operations.status("tasks");

        assertThat(status.state()).isEqualTo("RUNNING");
        assertThat(status.replayProgress()).isNull();
        assertThat(status.position()).isEqualTo(990);
        assertThat(status.lag()).isEqualTo(10);
    }

    @Test
    void statesFollowTheProcessor() {
        when(processor.isError()).thenReturn(true);
        assertThat(ProjectionOperations.state(processor)).isEqualTo("ERROR");
        when(processor.isError()).thenReturn(false);
        when(processor.isRunning()).thenReturn(false);
        assertThat(ProjectionOperations.state(processor)).isEqualTo("STOPPED");
    }

    @Test
    void aProcessorThatActsOnTheWorldIsNotReplayed() {
        when(processor.supportsReset()).thenReturn(false);

        assertThatThrownBy(() -> operations.replay("tasks")).isInstanceOfSatisfying(ErrorResponseException.class,
                e -> assertThat(e.getBody().getProperties()).containsEntry("code", "REPLAY_REFUSED"));
        verify(processor, never()).shutDown();
        verify(processor, never()).resetTokens();
    }

    @Test
    void aResetThatCannotClaimEverySegmentIsRefusedAndTheProcessorRunsOn() {
        when(processor.supportsReset()).thenReturn(true);
        doThrow(new UnableToClaimTokenException("held by another node")).when(processor).resetTokens();

        assertThatThrownBy(() -> operations.replay("tasks")).isInstanceOfSatisfying(ErrorResponseException.class,
                e -> assertThat(e.getStatusCode().value()).isEqualTo(409));
        var order = inOrder(processor);
        order.verify(processor).shutDown();
        order.verify(processor).resetTokens();
        order.verify(processor).start();
    }

    private static EventTrackerStatus segment(boolean replaying, long current, long resetPosition) {
        EventTrackerStatus status = mock(EventTrackerStatus.class);
        when(status.isReplaying()).thenReturn(replaying);
        when(status.getCurrentPosition()).thenReturn(OptionalLong.of(current));
        when(status.getResetPosition()).thenReturn(replaying ? OptionalLong.of(resetPosition) : OptionalLong.empty());
        return status;
    }
}
