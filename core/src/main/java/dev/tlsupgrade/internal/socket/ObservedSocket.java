package dev.tlsupgrade.internal.socket;

import dev.tlsupgrade.internal.wire.WireRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A connected socket seen through a {@link WireRecorder}: every provider layers its TLS on this
 * instead of on the caller's socket, so core sees the handshake's bytes whatever the backend.
 * Every call goes to the caller's socket; closing this closes it, unless it was made to leave the
 * caller's socket open (a layered socket asked for without autoClose).
 */
public final class ObservedSocket extends Socket {
    private final Socket socket;
    private final WireRecorder recorder;
    private final boolean closesSocket;
    private volatile boolean closed;
    private InputStream input;
    private OutputStream output;

    public ObservedSocket(Socket socket, WireRecorder recorder) throws SocketException {
        this(socket, recorder, true);
    }

    /**
     * @param closesSocket false to leave the caller's socket open when this one (or one of its
     *     streams) is closed: the TLS layer's close_notify still goes out, the TCP connection stays
     */
    public ObservedSocket(Socket socket, WireRecorder recorder, boolean closesSocket) throws SocketException {
        super((SocketImpl) null);
        this.socket = socket;
        this.recorder = recorder;
        this.closesSocket = closesSocket;
    }

    /** The caller's socket under this one. */
    public Socket delegate() {
        return socket;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new RecordingInput(socket.getInputStream(), recorder, closesSocket);
        }
        return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new RecordingOutput(socket.getOutputStream(), recorder, closesSocket);
        }
        return output;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        socket.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return socket.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        socket.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        socket.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return socket.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        socket.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return socket.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        socket.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return socket.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (closesSocket) {
            socket.close();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return closed || socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        socket.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return socket.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return socket.supportedOptions();
    }

    @Override
    public String toString() {
        return socket.toString();
    }

    /**
     * Records what the peer sends. Its first read asks the socket for up to {@value #FIRST_READ}
     * bytes, whatever the provider asked for, and keeps the rest for the provider's next reads: a
     * provider that reads only a 5-byte record header before giving up on plaintext still leaves
     * the whole banner recorded, so the failure can quote it.
     */
    private static final class RecordingInput extends InputStream {
        private static final int FIRST_READ = 512;

        private final InputStream in;
        private final WireRecorder recorder;
        private final boolean closesSocket;
        private byte[] ahead;
        private int aheadPos;
        private int aheadEnd;
        private boolean firstReadDone;

        RecordingInput(InputStream in, WireRecorder recorder, boolean closesSocket) {
            this.in = in;
            this.recorder = recorder;
            this.closesSocket = closesSocket;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (aheadPos < aheadEnd) {
                int n = Math.min(len, aheadEnd - aheadPos);
                System.arraycopy(ahead, aheadPos, b, off, n);
                aheadPos += n;
                return n;
            }
            if (!recorder.recording()) {
                return in.read(b, off, len);
            }
            if (!firstReadDone && len > 0 && len < FIRST_READ) {
                firstReadDone = true;
                ahead = new byte[FIRST_READ];
                int n = recordedRead(ahead, 0, FIRST_READ);
                if (n < 0) {
                    return -1;
                }
                aheadPos = 0;
                aheadEnd = n;
                return read(b, off, len);
            }
            firstReadDone = true;
            return recordedRead(b, off, len);
        }

        private int recordedRead(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                recorder.readFailed(e);
                throw e;
            }
            if (n < 0) {
                recorder.endOfStream();
            } else {
                recorder.received(b, off, n);
                String impossible = recorder.impossibleRecord();
                if (impossible != null) {
                    // Some providers would wait out the handshake timeout for bytes that cannot come.
                    throw new javax.net.ssl.SSLProtocolException(impossible);
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (aheadEnd - aheadPos) + in.available();
        }

        @Override
        public void close() throws IOException {
            if (closesSocket) {
                in.close();
            }
        }
    }

    private static final class RecordingOutput extends OutputStream {
        private final OutputStream out;
        private final WireRecorder recorder;
        private final boolean closesSocket;

        RecordingOutput(OutputStream out, WireRecorder recorder, boolean closesSocket) {
            this.out = out;
            this.recorder = recorder;
            this.closesSocket = closesSocket;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (recorder.recording()) {
                recorder.sent(b, off, len);
            }
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closesSocket) {
                out.close();
            } else {
                out.flush();
            }
        }
    }
}
