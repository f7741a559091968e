package io.entrenar.sink.sql;

import io.entrenar.sink.EngineExtension;
import io.entrenar.sink.engine.ChdbEngine;
import io.entrenar.sink.engine.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SQL library on chDB in this process. */
@ExtendWith(EngineExtension.class)
class ChdbAnalysisQueriesTest extends AnalysisQueriesContract {

    private static final String DB = "analysis_chdb";
    private static ChdbEngine engine;

    @BeforeAll
    static void load(ChdbEngine shared) throws Exception {
        engine = shared;
        AnalysisFixture.load(engine, DB);
    }

    @Override
    Engine engine() {
        return engine;
    }

    @Override
    String db() {
        return DB;
    }
}
