package io.entrenar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueryTextTest {

    @Test
    void readOnlyAdmitsReadingStatementsOnly() {
        assertTrue(QueryText.readOnly("SELECT 1"));
        assertTrue(QueryText.readOnly("-- comment\n  /* c */ (SELECT 1) UNION ALL (SELECT 2)"));
        assertTrue(QueryText.readOnly("with x as (select 1) select * from x"));
        assertTrue(QueryText.readOnly("SHOW TABLES"));
        assertFalse(QueryText.readOnly("INSERT INTO t VALUES (1)"));
        assertFalse(QueryText.readOnly("DROP TABLE t"));
        assertFalse(QueryText.readOnly("SELECT 1 INTO OUTFILE '/tmp/x'"));
        assertFalse(QueryText.readOnly("SELECT * FROM url('http://example.com', CSV)"));
        assertFalse(QueryText.readOnly("SELECT * FROM File ('/etc/passwd')"));
    }

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
