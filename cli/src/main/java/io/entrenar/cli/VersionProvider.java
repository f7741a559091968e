package io.entrenar.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Entrenar.class.getPackage().getImplementationVersion();
        return new String[] {"entrenar " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
    }
}
