package io.entrenar.sink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SingleStatementTest {

    @Test
    void acceptsOneStatementWithOrWithoutTrailingSemicolons() {
        assertEquals("SELECT 1", SingleStatement.require("SELECT 1"));
        assertEquals("SELECT 1 ", SingleStatement.require("SELECT 1 ;  ;\n"));
        assertEquals("SELECT 'a;b', \"c;d\", `e;f` -- g;h\n", SingleStatement.require("SELECT 'a;b', \"c;d\", `e;f` -- g;h\n"));
        assertEquals("SELECT 'it''s; fine' /* ; */", SingleStatement.require("SELECT 'it''s; fine' /* ; */"));
        assertEquals("SELECT 'x\\'; y'", SingleStatement.require("SELECT 'x\\'; y'"));
    }

    @Test
    void refusesASecondStatement() {
        ClickHouseException e = assertThrows(ClickHouseException.class,
                () -> SingleStatement.require("SELECT 1; DROP TABLE runs"));
        assertEquals(62, e.code());
        assertThrows(ClickHouseException.class, () -> SingleStatement.require("SELECT 1;\n\nSELECT 2"));
        assertThrows(ClickHouseException.class, () -> SingleStatement.require("SELECT ';'; SELECT 2"));
    }

    @Test
    void readsCodesFromClickHouseMessages() {
        assertEquals(60, ClickHouseException.fromMessage("Code: 60. DB::Exception: Table x doesn't exist. (UNKNOWN_TABLE)").code());
        assertEquals(0, ClickHouseException.fromMessage("something else").code());
    }
}
