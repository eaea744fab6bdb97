package io.agentledger.command.config;

import io.agentledger.command.CommandSideTest;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The task cache holds a task once the transaction that created it committed, and serves the next command. */
class TaskCacheHttpTest extends CommandSideTest {

    @Autowired
    @Qualifier("taskCache")
    Cache taskCache;

    @Test
    void aTaskIsCachedOnceCreatedAndAgainOnceClaimed() {
        String project = post("/v1/projects", "{\"name\":\"Cached " + System.nanoTime() + "\"}").body().get("id")
                .asText();
        String agent = registerPrincipal(ADMIN_KEY, "agent");
        String task = post("/v1/projects/" + project + "/tasks", "{\"title\":\"Hot\"}").body().get("id").asText();
        assertThat(taskCache.containsKey(task)).isTrue();

        assertThat(postAs(agent, "/v1/tasks/" + task + "/claim", "{}").status()).isEqualTo(200);
        assertThat(taskCache.containsKey(task)).isTrue();
    }
}
