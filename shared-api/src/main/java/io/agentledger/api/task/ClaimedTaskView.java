package io.agentledger.api.task;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.agentledger.api.knowledge.RelatedKnowledge;

import java.util.List;

/** A claim's answer: the task, and the earlier learnings most related to it. */
public record ClaimedTaskView(@JsonUnwrapped TaskView task, List<RelatedKnowledge> relatedKnowledge) {
}
