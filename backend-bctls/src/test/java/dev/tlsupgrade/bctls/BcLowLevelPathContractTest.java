package dev.tlsupgrade.bctls;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.BackendContract;

/**
 * The whole contract again on bctls's low-level path: every config offers TLS 1.0-1.3, which sends
 * it through Bouncy Castle's TlsClientProtocol instead of BCJSSE, so SNI, verification, client
 * certificates, ALPN and failures are proved there too.
 */
class BcLowLevelPathContractTest extends BackendContract {
    @Override
    protected String backendName() {
        return "bctls";
    }

    @Override
    protected TlsClientConfig.Builder configBase() {
        return TlsClientConfig.builder().allowLegacyProtocols()
                .protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    }
}
