package io.entrenar.sink.http;

import java.nio.file.Path;
import java.util.Map;

import io.entrenar.ops.OpsConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of {@code entrenar clickhouse}: a chDB store served over ClickHouse's HTTP interface
 * ({@code http.*}), migrated to the current tables, with the ops endpoint ({@code ops.*}).
 */
public final class ChdbServerConfig extends AbstractConfig {
    public static final String CHDB_PATH_CONFIG = "chdb.path";
    public static final String CHDB_PATH_DEFAULT = "~/.entrenar/chdb";
    private static final String CHDB_PATH_DOC = "chDB storage directory; only this process may open it while it runs.";

    public static final String CHDB_LIBRARY_CONFIG = "chdb.library";
    private static final String CHDB_LIBRARY_DOC = "Path of libchdb.so; empty = where scripts/setup.sh installs it (or ENTRENAR_CHDB_LIB).";

    public static final String DATABASE_CONFIG = "database";
    public static final String DATABASE_DEFAULT = "entrenar";
    private static final String DATABASE_DOC = "Database whose tables are created and migrated at start, so that sinks "
            + "connecting with engine=jdbc find them.";

    private static final ConfigDef CONFIG = OpsConfig.define(ClickHouseHttpConfig.configDef(), 9404)
            .define(CHDB_PATH_CONFIG, Type.STRING, CHDB_PATH_DEFAULT, new ConfigDef.NonEmptyString(), Importance.HIGH, CHDB_PATH_DOC)
            .define(CHDB_LIBRARY_CONFIG, Type.STRING, "", Importance.LOW, CHDB_LIBRARY_DOC)
            .define(DATABASE_CONFIG, Type.STRING, DATABASE_DEFAULT, ConfigDef.LambdaValidator.with((k, v) -> {
                if (v == null || !v.toString().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new ConfigException(k, v, "must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
                }
            }, () -> "identifier"), Importance.MEDIUM, DATABASE_DOC);

    private final ClickHouseHttpConfig http;

    public ChdbServerConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        this.http = new ClickHouseHttpConfig(originals);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    ClickHouseHttpConfig http() {
        return http;
    }

    public Path chdbPath() {
        String dir = getString(CHDB_PATH_CONFIG);
        if (dir.equals("~") || dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
