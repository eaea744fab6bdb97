package io.agentledger.query.principal;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.PageRequest;
import io.agentledger.api.principal.FindPrincipalsQuery;
import io.agentledger.api.principal.PrincipalPage;
import io.agentledger.query.web.Pages;
import io.agentledger.query.web.Queries;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PrincipalQueryController {

    private final Queries queries;

    PrincipalQueryController(Queries queries) {
        this.queries = queries;
    }

    @GetMapping("/v1/principals")
    @PreAuthorize("hasRole('ADMIN')")
    PrincipalPage list(@RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                       @RequestParam(required = false) String cursor, Caller caller) {
        return queries.ask(new FindPrincipalsQuery(caller.tenantId(), Pages.request(limit, cursor)),
                PrincipalPage.class);
    }
}
