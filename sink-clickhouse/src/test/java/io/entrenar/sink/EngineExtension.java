package io.entrenar.sink;

import io.entrenar.sink.engine.ChdbEngine;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Injects the JVM's shared {@link ChdbEngine} and embedded stack into test constructors and methods. */
public final class EngineExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ChdbEngine.class || type == io.entrenar.stack.EmbeddedStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == ChdbEngine.class) {
            return SharedEngine.get(context);
        }
        return SharedBroker.get(context);
    }
}
