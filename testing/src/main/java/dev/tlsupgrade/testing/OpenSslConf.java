package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;

/**
 * A per-process OpenSSL configuration ({@code OPENSSL_CONF}) pinning the TLS version, with security
 * level 0 so that TLS 1.0/1.1 work: for servers that have no maximum-version setting of their own.
 */
final class OpenSslConf {
    private OpenSslConf() {
    }

    static String pinned(TlsVersion version) {
        return String.join("\n",
                "openssl_conf = openssl_init",
                "[openssl_init]",
                "ssl_conf = ssl_sect",
                "[ssl_sect]",
                "system_default = system_default_sect",
                "[system_default_sect]",
                "MinProtocol = " + version.jsseName(),
                "MaxProtocol = " + version.jsseName(),
                "CipherString = DEFAULT:@SECLEVEL=0",
                "");
    }
}
