package io.agentledger.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A short smoke of the knowledge-search scenario, so the benchmark cannot rot; no speed target is asserted. */
class KnowledgeSearchScenarioTest {

    @Test
    void loadsACorpusAndFindsEveryNeedleFirst() throws Exception {
        try (StandaloneProcess app = StandaloneProcess.start()) {
            KnowledgeSearchScenario scenario = new KnowledgeSearchScenario(
                    ApiClient.login(app.baseUrl(), StandaloneProcess.ADMIN_KEY), 7, 4);
            assertThat(scenario.load(300)).isZero();
            ScenarioResult result = scenario.search(300, 200);
            assertThat(result.operations()).isEqualTo(200);
            assertThat(result.errors()).isZero();
            assertThat(result.p95Millis()).isPositive();
            assertThat(result.row()).startsWith("| knowledge search, 300 entries | 200 |");
        }
    }

    @Test
    void theCorpusIsDeterministicAndItsNeedlesAreUnique() {
        KnowledgeCorpus corpus = new KnowledgeCorpus(7);
        assertThat(corpus.entry(5)).isEqualTo(new KnowledgeCorpus(7).entry(5));
        assertThat(corpus.entry(5)).isNotEqualTo(new KnowledgeCorpus(8).entry(5));
        assertThat((String) corpus.entry(200).get("title")).startsWith(KnowledgeCorpus.needleWord(200) + " ");
        assertThat((String) corpus.entry(201).get("title")).doesNotContain("needle");
        assertThat(KnowledgeCorpus.needleWord(100)).isNotEqualTo(KnowledgeCorpus.needleWord(1000));
        assertThat(corpus.query(3)).matches("[a-z]+ [a-z]+");
    }
}
