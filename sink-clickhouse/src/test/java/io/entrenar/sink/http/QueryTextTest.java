package io.entrenar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class QueryTextTest {

    @Test
    void splitsInsertsFromTheirData() {
        QueryText.Insert i = QueryText.insertWithFormat("INSERT INTO db.t (a, b) FORMAT RowBinary\n");
        assertEquals("INSERT INTO db.t (a, b)", i.statement());
        assertEquals("RowBinary", i.format());
        assertNull(QueryText.insertWithFormat("SELECT 1 FORMAT JSON"));
        String[] v = QueryText.insertValues("insert into t values (1, 'x\n\nDROP TABLE t')");
        assertEquals("insert into t", v[0]);
        assertEquals(" (1, 'x\n\nDROP TABLE t')", v[1]);
    }

    @Test
    void unescapesParameterValues() {
        assertEquals("a\nb\tc\\d'e", QueryText.unescapeParameter("a\\nb\\tc\\\\d\\'e"));
        assertEquals("plain", QueryText.unescapeParameter("plain"));
    }
}
