package dev.tlsupgrade.bctls;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.TrustMaterialContract;

/** Trust and identity material again on bctls's low-level path (configs listing TLS 1.0/1.1). */
class BcLowLevelPathTrustMaterialTest extends TrustMaterialContract {
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
