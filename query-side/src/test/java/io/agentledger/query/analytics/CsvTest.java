package io.agentledger.query.analytics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void cellsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(new Csv("a", "b").row("plain", "with,comma").row("say \"hi\"", "two\nlines")
                .row("carriage\rreturn", null).toString()).isEqualTo("a,b\r\n"
                + "plain,\"with,comma\"\r\n"
                + "\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
                + "\"carriage\rreturn\",\r\n");
    }

    @Test
    void numbersAreWrittenPlainly() {
        assertThat(Csv.cell(46800.0)).isEqualTo("46800");
        assertThat(Csv.cell(1.0e9)).isEqualTo("1000000000");
        assertThat(Csv.cell(0.125)).isEqualTo("0.125");
        assertThat(Csv.cell(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(Csv.cell(7L)).isEqualTo("7");
    }
}
