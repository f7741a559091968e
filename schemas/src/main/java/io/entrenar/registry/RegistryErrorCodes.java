package io.entrenar.registry;

/** Confluent Schema Registry's {@code error_code} values, shared by our client and our server. */
public final class RegistryErrorCodes {
    public static final int UNAUTHORIZED = 40101;
    /** Authenticated, but not allowed to do this (Confluent's RBAC answer). */
    public static final int FORBIDDEN = 40301;
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_SOFT_DELETED = 40404;
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    public static final int VERSION_SOFT_DELETED = 40406;
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** What Confluent returned for an incompatible schema before 7.x, and what our server returns. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** What newer Confluent releases return for an incompatible schema. */
    public static final int INCOMPATIBLE_SCHEMA_V7 = 40901;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int INVALID_SUBJECT = 42208;
    public static final int STORE_ERROR = 50001;
    public static final int OPERATION_TIMEOUT = 50002;

    private RegistryErrorCodes() {
    }
}
