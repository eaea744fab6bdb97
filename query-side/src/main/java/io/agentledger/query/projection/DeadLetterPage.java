package io.agentledger.query.projection;

import java.util.List;

public record DeadLetterPage(List<DeadLetterView> items, String nextCursor) {
}
