package dev.tlsupgrade.internal;

import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The session every upgraded socket hands out, whatever the provider's session is: certificates
 * come back as {@code X509Certificate[]} (clients such as pgjdbc cast them; tcnative's session
 * returns a plain {@code Certificate[]}), and the extended queries answer even when the provider's
 * session is not an {@link ExtendedSSLSession}. Everything else goes to the provider's session.
 */
public final class X509Session extends ExtendedSSLSession {
    private final SSLSession session;
    private final List<SNIServerName> requestedServerNames;

    /**
     * @param session the provider's session of a finished handshake
     * @param requestedServerNames the SNI names this client sent
     */
    public X509Session(SSLSession session, List<SNIServerName> requestedServerNames) {
        this.session = session;
        this.requestedServerNames = List.copyOf(requestedServerNames);
    }

    private static X509Certificate[] x509(Certificate[] certificates) {
        if (certificates == null) {
            return null;
        }
        if (certificates instanceof X509Certificate[] x) {
            return x.clone();
        }
        X509Certificate[] out = new X509Certificate[certificates.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (X509Certificate) certificates[i];
        }
        return out;
    }

    @Override
    public X509Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        return x509(session.getPeerCertificates());
    }

    @Override
    public X509Certificate[] getLocalCertificates() {
        return x509(session.getLocalCertificates());
    }

    @Override
    @SuppressWarnings("removal")
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() throws SSLPeerUnverifiedException {
        throw new UnsupportedOperationException("javax.security.cert is deprecated; use getPeerCertificates()");
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        X509Certificate[] chain = getPeerCertificates();
        if (chain.length == 0) {
            throw new SSLPeerUnverifiedException("the peer sent no certificate");
        }
        return chain[0].getSubjectX500Principal();
    }

    @Override
    public Principal getLocalPrincipal() {
        X509Certificate[] chain = getLocalCertificates();
        return chain == null || chain.length == 0 ? null : chain[0].getSubjectX500Principal();
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
        return session instanceof ExtendedSSLSession e ? e.getLocalSupportedSignatureAlgorithms() : new String[0];
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
        return session instanceof ExtendedSSLSession e ? e.getPeerSupportedSignatureAlgorithms() : new String[0];
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
        return requestedServerNames;
    }

    @Override
    public List<byte[]> getStatusResponses() {
        return session instanceof ExtendedSSLSession e ? e.getStatusResponses() : List.of();
    }

    @Override
    public byte[] getId() {
        return session.getId();
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return session.getSessionContext();
    }

    @Override
    public long getCreationTime() {
        return session.getCreationTime();
    }

    @Override
    public long getLastAccessedTime() {
        return session.getLastAccessedTime();
    }

    @Override
    public void invalidate() {
        session.invalidate();
    }

    @Override
    public boolean isValid() {
        return session.isValid();
    }

    @Override
    public void putValue(String name, Object value) {
        session.putValue(name, value);
    }

    @Override
    public Object getValue(String name) {
        return session.getValue(name);
    }

    @Override
    public void removeValue(String name) {
        session.removeValue(name);
    }

    @Override
    public String[] getValueNames() {
        return session.getValueNames();
    }

    @Override
    public String getCipherSuite() {
        return session.getCipherSuite();
    }

    @Override
    public String getProtocol() {
        return session.getProtocol();
    }

    @Override
    public String getPeerHost() {
        return session.getPeerHost();
    }

    @Override
    public int getPeerPort() {
        return session.getPeerPort();
    }

    @Override
    public int getPacketBufferSize() {
        return session.getPacketBufferSize();
    }

    @Override
    public int getApplicationBufferSize() {
        return session.getApplicationBufferSize();
    }

    @Override
    public String toString() {
        return "Session[" + getProtocol() + ", " + getCipherSuite() + "]";
    }
}
