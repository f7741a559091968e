package io.entrenar.cli.view;

import java.util.regex.Pattern;

/** Database names go into SQL text (ClickHouse cannot bind identifiers), so only plain names pass. */
final class Database {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Database() {
    }

    static String checked(String database) {
        if (database == null || !NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a database name: '" + database + "' (letters, digits and _ only)");
        }
        return database;
    }
}
