package dev.tlsupgrade;

/**
 * Whether a backend can negotiate one {@link TlsVersion}, as its tests prove.
 */
public enum VersionSupport {
    /** Works per connection, with no change outside this library. */
    SUPPORTED,
    /**
     * Works only after a named opt-in that changes the whole JVM (for example a security property);
     * {@link Capabilities#globalOptIn()} names the call. Once the opt-in has been made, the backend
     * reports {@link #SUPPORTED}.
     */
    NEEDS_GLOBAL_OPT_IN,
    /** Cannot be done by this backend at all. */
    UNSUPPORTED
}
