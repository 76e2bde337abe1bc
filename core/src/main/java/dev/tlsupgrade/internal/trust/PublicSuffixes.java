package dev.tlsupgrade.internal.trust;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Public Suffix List (publicsuffix.org, both its ICANN and its private sections): the names
 * under which anyone may register, such as {@code co.uk} or {@code s3.amazonaws.com}. A wildcard
 * certificate for {@code *.co.uk} would claim every company's name there, so a wildcard never
 * stands for a label directly under a public suffix. The list ships inside core's jar, taken at
 * build time from HttpClient 5's (see core's pom), and is read once, on the first wildcard.
 */
final class PublicSuffixes {
    private static final Logger LOG = LoggerFactory.getLogger(PublicSuffixes.class);
    static final String RESOURCE = "effective_tld_names.dat";

    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();
    private final boolean loaded;

    private PublicSuffixes(InputStream list) {
        boolean ok = false;
        if (list != null) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    add(line.strip());
                }
                ok = !rules.isEmpty();
            } catch (IOException e) {
                LOG.error("cannot read the public suffix list: {}", e.toString());
            }
        }
        if (!ok) {
            LOG.error("the public suffix list is missing from tlsupgrade-core's jar: wildcard certificates match nothing");
        }
        this.loaded = ok;
    }

    private static final class Holder {
        static final PublicSuffixes LIST = new PublicSuffixes(PublicSuffixes.class.getResourceAsStream(RESOURCE));
    }

    private void add(String rule) {
        if (rule.isEmpty() || rule.startsWith("//")) {
            return;
        }
        try {
            if (rule.startsWith("!")) {
                exceptions.add(ascii(rule.substring(1)));
            } else if (rule.startsWith("*.")) {
                wildcards.add(ascii(rule.substring(2)));
            } else {
                rules.add(ascii(rule));
            }
        } catch (IllegalArgumentException notAName) {
            LOG.debug("public suffix list: skipping '{}', which IDNA cannot convert", rule);
        }
    }

    private static String ascii(String name) {
        return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /**
     * Whether {@code name} (lower-case ASCII, no trailing dot) is itself a public suffix: listed,
     * covered by a wildcard rule and not excepted, or a single label (every top-level name is one,
     * listed or not). True for everything when the list could not be read, so wildcards fail closed.
     */
    static boolean isPublicSuffix(String name) {
        return Holder.LIST.covers(name);
    }

    boolean covers(String name) {
        if (!loaded) {
            return true;
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            return true;
        }
        if (exceptions.contains(name)) {
            return false;
        }
        return rules.contains(name) || wildcards.contains(name.substring(dot + 1));
    }

    /** A list read from {@code list}, for tests. */
    static PublicSuffixes of(InputStream list) {
        return new PublicSuffixes(list);
    }
}
