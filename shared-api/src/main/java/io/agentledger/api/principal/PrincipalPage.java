package io.agentledger.api.principal;

import java.util.List;

public record PrincipalPage(List<PrincipalView> items, String nextCursor) {
}
