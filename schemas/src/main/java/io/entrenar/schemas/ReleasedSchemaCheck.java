package io.entrenar.schemas;
public final class ReleasedSchemaCheck { public static void main(String[] a) {} }
