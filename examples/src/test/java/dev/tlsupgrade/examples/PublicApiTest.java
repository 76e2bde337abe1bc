package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.bctls.BcBackendProvider;
import dev.tlsupgrade.conscrypt.ConscryptBackend;
import dev.tlsupgrade.jsse.JsseBackend;
import dev.tlsupgrade.openssl.OpenSslBackendProvider;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is what {@code api/tlsupgrade.api} lists: every public type in a package a module
 * exports to everyone, with its public and protected members. A public method added by accident (or
 * one removed) fails this test; a deliberate change is made by running it with
 * {@code -Dapi.update=true} and committing the listing.
 */
class PublicApiTest {
    private static final Path LISTING = Path.of("..", "api", "tlsupgrade.api");

    @Test
    void thePublicApiIsTheCommittedListing() throws Exception {
        List<String> lines = new ArrayList<>();
        for (Class<?> anchor : List.of(TlsUpgrader.class, JsseBackend.class, ConscryptBackend.class,
                OpenSslBackendProvider.class, BcBackendProvider.class)) {
            lines.addAll(listing(anchor));
        }
        String actual = String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(LISTING.getParent());
            Files.writeString(LISTING, actual, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(LISTING)).as(LISTING + " exists; create it with -Dapi.update=true").isTrue();
        assertThat(actual).as("the public API; if the change is meant, run PublicApiTest with -Dapi.update=true and "
                + "commit " + LISTING).isEqualTo(Files.readString(LISTING, StandardCharsets.UTF_8));
    }

    /** The listing of the module that holds {@code anchor}: its name, then each exported public type. */
    private static List<String> listing(Class<?> anchor) throws Exception {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleReference ref = ModuleFinder.of(location).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module at " + location));
        ModuleDescriptor descriptor = ref.descriptor();
        Set<String> exported = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        out.add("module " + descriptor.name() + " exports " + new TreeSet<>(exported));
        try (ModuleReader reader = ref.open(); Stream<String> entries = reader.list()) {
            for (String entry : entries.filter(e -> e.endsWith(".class") && !e.endsWith("module-info.class"))
                    .sorted().collect(Collectors.toList())) {
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                String pkg = name.substring(0, name.lastIndexOf('.'));
                if (exported.contains(pkg)) {
                    Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                    if (isPublicApi(type)) {
                        out.addAll(describe(type));
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + location, e);
        }
        return out;
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> describe(Class<?> type) {
        List<String> out = new ArrayList<>();
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        String modifiers = Modifier.toString(type.getModifiers() & (Modifier.FINAL | Modifier.ABSTRACT | Modifier.STATIC));
        StringBuilder head = new StringBuilder("  ").append(modifiers.isEmpty() ? "" : modifiers + " ").append(kind)
                .append(' ').append(type.getName());
        if (type.getSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum() && !type.isRecord()) {
            head.append(" extends ").append(type.getSuperclass().getName());
        }
        if (type.getInterfaces().length > 0) {
            head.append(" implements ").append(Stream.of(type.getInterfaces()).map(Class::getName)
                    .collect(Collectors.joining(", ")));
        }
        out.add(head.toString());
        boolean subclassable = !Modifier.isFinal(type.getModifiers()) && !type.isEnum() && !type.isRecord();
        TreeSet<String> members = new TreeSet<>();
        List<Member> all = new ArrayList<>();
        all.addAll(List.of(type.getDeclaredConstructors()));
        all.addAll(List.of(type.getDeclaredMethods()));
        all.addAll(List.of(type.getDeclaredFields()));
        for (Member m : all) {
            int mod = m.getModifiers();
            boolean visible = Modifier.isPublic(mod) || Modifier.isProtected(mod) && subclassable;
            if (!visible || m.isSynthetic() || m instanceof Method method && method.isBridge()) {
                continue;
            }
            if (type.isEnum() && m instanceof Method method && (method.getName().equals("values")
                    || method.getName().equals("valueOf") && method.getParameterCount() == 1)) {
                continue;
            }
            String text = m instanceof Constructor<?> c ? c.toGenericString()
                    : m instanceof Method method ? method.toGenericString() : ((Field) m).toGenericString();
            members.add("    " + text);
        }
        out.addAll(members);
        return out;
    }
}
