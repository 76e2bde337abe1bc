package dev.tlsupgrade.internal;

import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The {@link SSLSession} of a finished handshake, for TLS implementations that have no session
 * object of their own: what was negotiated, fixed when the handshake ends. Application values can
 * be bound to it as to any session.
 */
public final class FixedSession implements SSLSession {
    private final byte[] id;
    private final long creationTime;
    private final String protocol;
    private final String cipherSuite;
    private final X509Certificate[] peerChain;
    private final X509Certificate[] localChain;
    private final String peerHost;
    private final int peerPort;
    private final int packetBufferSize;
    private final int applicationBufferSize;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private volatile boolean valid = true;

    public FixedSession(byte[] id, String protocol, String cipherSuite, List<X509Certificate> peerChain,
            List<X509Certificate> localChain, String peerHost, int peerPort, int packetBufferSize, int applicationBufferSize) {
        this.id = id == null ? new byte[0] : id.clone();
        this.creationTime = System.currentTimeMillis();
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.peerChain = peerChain.toArray(new X509Certificate[0]);
        this.localChain = localChain.toArray(new X509Certificate[0]);
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.packetBufferSize = packetBufferSize;
        this.applicationBufferSize = applicationBufferSize;
    }

    /**
     * The session {@code SSLSocket} and {@code SSLEngine} promise before or without a finished
     * handshake: invalid, protocol "NONE", no certificates; its buffer sizes tell drivers what to allocate.
     */
    public static FixedSession none(String peerHost, int peerPort, int packetBufferSize, int applicationBufferSize) {
        FixedSession none = new FixedSession(null, "NONE", "SSL_NULL_WITH_NULL_NULL", List.of(), List.of(), peerHost,
                peerPort, packetBufferSize, applicationBufferSize);
        none.invalidate();
        return none;
    }

    @Override
    public byte[] getId() {
        return id.clone();
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return null;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return creationTime;
    }

    @Override
    public void invalidate() {
        valid = false;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public void putValue(String name, Object value) {
        values.put(name, value);
    }

    @Override
    public Object getValue(String name) {
        return values.get(name);
    }

    @Override
    public void removeValue(String name) {
        values.remove(name);
    }

    @Override
    public String[] getValueNames() {
        return values.keySet().toArray(new String[0]);
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        if (peerChain.length == 0) {
            throw new SSLPeerUnverifiedException("the peer sent no certificate");
        }
        return peerChain.clone();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return localChain.length == 0 ? null : localChain.clone();
    }

    @SuppressWarnings("removal")
    @Override
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() throws SSLPeerUnverifiedException {
        throw new UnsupportedOperationException("use getPeerCertificates()");
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        if (peerChain.length == 0) {
            throw new SSLPeerUnverifiedException("the peer sent no certificate");
        }
        return peerChain[0].getSubjectX500Principal();
    }

    @Override
    public Principal getLocalPrincipal() {
        return localChain.length == 0 ? null : localChain[0].getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        return cipherSuite;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getPeerHost() {
        return peerHost;
    }

    @Override
    public int getPeerPort() {
        return peerPort;
    }

    @Override
    public int getPacketBufferSize() {
        return packetBufferSize;
    }

    @Override
    public int getApplicationBufferSize() {
        return applicationBufferSize;
    }
}
