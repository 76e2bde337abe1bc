package dev.tlsupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every address of a name is tried, IPv6 first, and the one that connected is reported. */
@Timeout(30)
class DialerTest {
    @Test
    void addressesInterleaveIpv6First() throws Exception {
        List<InetAddress> all = Dialer.addresses("localhost");
        assertThat(all).isNotEmpty();
        if (all.stream().anyMatch(a -> a instanceof Inet6Address) && all.size() > 1) {
            assertThat(all.get(0)).isInstanceOf(Inet6Address.class);
        }
        assertThat(Dialer.addresses("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void ipv6AndIpv4AreInterleavedIpv6First() throws Exception {
        InetAddress a4 = InetAddress.getByName("192.0.2.1");
        InetAddress b4 = InetAddress.getByName("192.0.2.2");
        InetAddress a6 = InetAddress.getByName("2001:db8::1");
        assertThat(Dialer.interleave(List.of(a4, b4, a6))).containsExactly(a6, a4, b4);
    }

    @Test
    void ofIpv6AndIpv4TheOneListeningWinsAndTheOtherFailureIsKept() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 5, v4)) {
            Dialer.Connection c = Dialer.connect("dual.test", List.of(v6, v4), server.getLocalPort(), Duration.ofSeconds(5));
            try (Socket s = c.socket()) {
                assertThat(c.address().getAddress()).isEqualTo(v4);
                assertThat(c.failures()).containsKey(v6);
            }
        }
    }

    @Test
    void aServerOnOnlyOneOfTheAddressesIsReachedAndTheOtherFailureKept() throws Exception {
        List<InetAddress> all = Dialer.addresses("localhost");
        try (ServerSocket v4 = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Dialer.Connection c = Dialer.connect("localhost", v4.getLocalPort(), Duration.ofSeconds(5));
            try (Socket s = c.socket()) {
                assertThat(s.isConnected()).isTrue();
                assertThat(c.address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                if (all.size() > 1) {
                    // ::1 was tried first and refused (nothing listens there on this port)
                    assertThat(c.failures()).containsKey(InetAddress.getByName("::1"));
                }
            }
        }
    }

    @Test
    void nothingListeningNamesEveryAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        int p = port;
        assertThatThrownBy(() -> Dialer.connect("127.0.0.1", p, Duration.ofSeconds(2)))
                .isInstanceOf(java.net.ConnectException.class).hasMessageContaining("127.0.0.1 (");
        assertThatThrownBy(() -> Dialer.connect("nosuchhost.invalid", 443, Duration.ofSeconds(2)))
                .isInstanceOf(java.net.UnknownHostException.class);
        assertThatThrownBy(() -> Dialer.connect("https://x/", 443, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
