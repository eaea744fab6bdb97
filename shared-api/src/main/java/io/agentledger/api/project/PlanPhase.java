package io.agentledger.api.project;

import java.util.List;

/** A phase of an imported plan: its heading text (without the {@code ##}) and its task lines in order. */
public record PlanPhase(String heading, List<PlanItem> items) {
}
