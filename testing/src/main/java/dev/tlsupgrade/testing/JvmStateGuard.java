package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * No backend changes JVM-global state: around every contract class this compares the installed JCA
 * providers, the TLS and certificate security properties, the system properties, the default
 * SSLContext and HttpsURLConnection's defaults before and after, and fails the class if any changed.
 */
public final class JvmStateGuard implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> SECURITY_PROPERTIES = List.of("jdk.tls.disabledAlgorithms",
            "jdk.certpath.disabledAlgorithms", "jdk.tls.legacyAlgorithms", "jdk.tls.keyLimits",
            "jdk.security.caDistrustPolicies", "securerandom.source", "securerandom.strongAlgorithms", "keystore.type",
            "ssl.KeyManagerFactory.algorithm", "ssl.TrustManagerFactory.algorithm", "ssl.SocketFactory.provider");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(JvmStateGuard.class);

    private record State(List<String> providers, Map<String, String> security, Map<String, String> system,
            SSLContext defaultContext, Object httpsFactory, Object httpsVerifier) {
    }

    private static State now() throws Exception {
        List<String> providers = new ArrayList<>();
        for (Provider p : Security.getProviders()) {
            providers.add(p.getName() + " " + p.getVersionStr());
        }
        Map<String, String> security = new TreeMap<>();
        for (String key : SECURITY_PROPERTIES) {
            security.put(key, String.valueOf(Security.getProperty(key)));
        }
        Map<String, String> system = new TreeMap<>();
        System.getProperties().stringPropertyNames().forEach(k -> system.put(k, System.getProperty(k)));
        // The JDK sets this itself the first time anything asks for the default time zone.
        system.remove("user.timezone");
        return new State(providers, security, system, SSLContext.getDefault(), HttpsURLConnection.getDefaultSSLSocketFactory(),
                HttpsURLConnection.getDefaultHostnameVerifier());
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getStore(NS).put(context.getRequiredTestClass(), now());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        State before = context.getStore(NS).get(context.getRequiredTestClass(), State.class);
        State after = now();
        String who = context.getRequiredTestClass().getSimpleName();
        assertThat(after.providers()).as(who + " changed the installed JCA providers").isEqualTo(before.providers());
        assertThat(after.security()).as(who + " changed security properties").isEqualTo(before.security());
        Map<String, String> changed = new TreeMap<>();
        for (String key : new java.util.TreeSet<>(union(before.system().keySet(), after.system().keySet()))) {
            if (!java.util.Objects.equals(before.system().get(key), after.system().get(key))) {
                changed.put(key, before.system().get(key) + " -> " + after.system().get(key));
            }
        }
        assertThat(changed).as(who + " changed system properties").isEmpty();
        assertThat(after.defaultContext()).as(who + " replaced the default SSLContext").isSameAs(before.defaultContext());
        assertThat(after.httpsFactory()).as(who + " replaced HttpsURLConnection's default factory")
                .isSameAs(before.httpsFactory());
        assertThat(after.httpsVerifier()).as(who + " replaced HttpsURLConnection's default verifier")
                .isSameAs(before.httpsVerifier());
    }
}
