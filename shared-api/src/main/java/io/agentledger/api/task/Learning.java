package io.agentledger.api.task;

import java.util.List;

/** Something an agent learned while doing a task; becomes a knowledge entry. */
public record Learning(String title, String body, List<String> tags) {
}
