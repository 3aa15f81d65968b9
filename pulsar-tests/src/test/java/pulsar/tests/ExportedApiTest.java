package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pulsar.Pulsar;

/**
 * The module descriptor of pulsar.core holds: it resolves as a module, it exports only API
 * packages (implementation packages only to this project's modules), and no public or
 * protected signature of an exported type mentions a type of a package it does not export.
 * Netty types may appear ({@code requires transitive io.netty.transport}); {@code pulsar.impl}
 * types may not.
 */
class ExportedApiTest {
    /** The packages pulsar.core exports to everyone. Add {@code pulsar.app} and the like here. */
    static final Set<String> API_PACKAGES = Set.of("pulsar", "pulsar.app");

    /** The modules of this project that a qualified export may name. */
    static final Set<String> PROJECT_MODULES = Set.of("pulsar.cli", "pulsar.testkit", "pulsar.tests",
            "pulsar.examples", "pulsar.benchmarks");

    /**
     * Known leaks, as "member -> leaked type", that wait for the rewrite of spawning and
     * {@code pulsar.impl.actor} (Pulsar.spawn, Spawn, the actor classes are being rewritten in
     * another branch). That rewrite must empty this list; nothing else may be added to it.
     */
    static final Set<String> KNOWN_LEAKS_UNTIL_ACTOR_REWRITE = Set.of();

    private static final Path CORE = location(Pulsar.class);
    private static final ModuleReference CORE_MODULE = ModuleFinder.of(CORE).find("pulsar.core")
            .orElseThrow(() -> new AssertionError("no module pulsar.core in " + CORE));
    private static final ModuleDescriptor DESCRIPTOR = CORE_MODULE.descriptor();

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pulsarCore_exportsApiPackages_andImplementationOnlyToProjectModules() {
        Set<String> unqualified = DESCRIPTOR.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertThat(unqualified).as("packages pulsar.core exports to everyone").isEqualTo(new TreeSet<>(API_PACKAGES));
        for (ModuleDescriptor.Exports e : DESCRIPTOR.exports()) {
            if (e.isQualified()) {
                assertThat(e.source()).as("a qualified export").startsWith("pulsar.impl.");
                assertThat(PROJECT_MODULES).as("targets of the export of %s", e.source()).containsAll(e.targets());
            }
        }
        assertThat(DESCRIPTOR.opens()).as("pulsar.core opens nothing").isEmpty();
        assertThat(DESCRIPTOR.isOpen()).isFalse();
    }

    @Test
    void pulsarCore_resolvesAsAModule_fromItsJarAndItsDependencies() {
        List<Path> paths = new ArrayList<>();
        paths.add(CORE);
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("netty-") || name.startsWith("slf4j-api-")) {
                paths.add(Path.of(entry));
            }
        }
        ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
        Configuration config = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of("pulsar.core"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        Module core = layer.findModule("pulsar.core").orElseThrow();
        assertThat(core.isExported("pulsar")).isTrue();
        assertThat(core.isExported("pulsar.impl.mailbox")).isFalse();
        assertThat(core.getPackages()).contains("pulsar.impl.actor", "pulsar.impl.loop");
    }

    @Test
    void exportedTypes_mentionNoTypeOfAnUnexportedPackage() throws Exception {
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : exportedTypes()) {
            checkType(type, leaks);
        }
        assertThat(leaks).as("implementation types in the exported API of pulsar.core (member -> type)")
                .isEqualTo(new TreeSet<>(KNOWN_LEAKS_UNTIL_ACTOR_REWRITE));
    }

    @Test
    void theLeakCheck_findsAnImplementationTypeInASignature() {
        Set<String> leaks = new TreeSet<>();
        checkType(LeakyForTheCheck.class, leaks, Set.of("pulsar.tests"));
        assertThat(leaks).containsExactlyInAnyOrder(
                "pulsar.tests.ExportedApiTest$LeakyForTheCheck#field -> pulsar.tests.ExportedApiTest$Hidden",
                "pulsar.tests.ExportedApiTest$LeakyForTheCheck#method -> pulsar.tests.ExportedApiTest$Hidden",
                "pulsar.tests.ExportedApiTest$LeakyForTheCheck#<init> -> pulsar.tests.ExportedApiTest$Hidden",
                "pulsar.tests.ExportedApiTest$LeakyForTheCheck extends/implements -> pulsar.tests.ExportedApiTest$Hidden");
    }

    /** Stands for a type of an unexported package in {@link #theLeakCheck_findsAnImplementationTypeInASignature}. */
    interface Hidden {
    }

    /** Leaks {@link Hidden} through a type argument of its interface, a field, a method and a constructor. */
    public abstract static class LeakyForTheCheck implements Comparable<List<? extends Hidden>> {
        public Hidden field;

        protected LeakyForTheCheck(Set<Hidden> set) {
        }

        public abstract <T extends Hidden> void method() throws IllegalStateException;

        private Hidden notApi() {
            return null;
        }
    }

    private static List<Class<?>> exportedTypes() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (ModuleReader reader = CORE_MODULE.open(); Stream<String> names = reader.list()) {
            for (String name : names.filter(n -> n.endsWith(".class")).toList()) {
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                int dot = className.lastIndexOf('.');
                String pkg = dot < 0 ? "" : className.substring(0, dot);
                if (API_PACKAGES.contains(pkg) && !className.contains("$") && !className.endsWith("package-info")) {
                    Class<?> type = Class.forName(className, false, ExportedApiTest.class.getClassLoader());
                    if (Modifier.isPublic(type.getModifiers())) {
                        types.add(type);
                    }
                }
            }
        }
        assertThat(types).as("public types of the exported packages").isNotEmpty();
        return types;
    }

    private static void checkType(Class<?> type, Set<String> leaks) {
        Set<String> hidden = new HashSet<>(DESCRIPTOR.packages());
        hidden.removeAll(API_PACKAGES);
        checkType(type, leaks, hidden);
    }

    /** Adds to {@code leaks} every API member of {@code type} (and its API member types) that mentions a {@code hidden} package. */
    private static void checkType(Class<?> type, Set<String> leaks, Set<String> hidden) {
        String owner = type.getName();
        List<Type> supers = new ArrayList<>();
        if (type.getGenericSuperclass() != null) {
            supers.add(type.getGenericSuperclass());
        }
        supers.addAll(List.of(type.getGenericInterfaces()));
        supers.addAll(List.of(type.getTypeParameters()));
        report(owner + " extends/implements", supers, leaks, hidden);
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (isApi(c.getModifiers()) && !c.isSynthetic()) {
                report(owner + "#<init>", signature(c), leaks, hidden);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (isApi(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                List<Type> types = signature(m);
                types.add(m.getGenericReturnType());
                report(owner + "#" + m.getName(), types, leaks, hidden);
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (isApi(f.getModifiers()) && !f.isSynthetic()) {
                report(owner + "#" + f.getName(), List.of(f.getGenericType()), leaks, hidden);
            }
        }
        for (Class<?> member : type.getDeclaredClasses()) {
            if (isApi(member.getModifiers())) {
                checkType(member, leaks, hidden);
            }
        }
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static List<Type> signature(Executable e) {
        List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
        types.addAll(List.of(e.getGenericExceptionTypes()));
        types.addAll(List.of(e.getTypeParameters()));
        return types;
    }

    private static void report(String member, List<Type> types, Set<String> leaks, Set<String> hidden) {
        Set<Class<?>> mentioned = new HashSet<>();
        Set<Type> seen = new HashSet<>();
        for (Type t : types) {
            collect(t, mentioned, seen);
        }
        for (Class<?> c : mentioned) {
            if (hidden.contains(c.getPackageName())) {
                leaks.add(member + " -> " + c.getName());
            }
        }
    }

    /** Every class a type mentions: type arguments, bounds, array components, owners. */
    private static void collect(Type t, Set<Class<?>> out, Set<Type> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        switch (t) {
            case Class<?> c -> {
                Class<?> base = c;
                while (base.isArray()) {
                    base = base.getComponentType();
                }
                if (!base.isPrimitive()) {
                    out.add(base);
                }
            }
            case ParameterizedType p -> {
                collect(p.getRawType(), out, seen);
                collect(p.getOwnerType(), out, seen);
                for (Type a : p.getActualTypeArguments()) {
                    collect(a, out, seen);
                }
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    collect(b, out, seen);
                }
                for (Type b : w.getLowerBounds()) {
                    collect(b, out, seen);
                }
            }
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) {
                    collect(b, out, seen);
                }
            }
            case GenericArrayType g -> collect(g.getGenericComponentType(), out, seen);
            default -> throw new IllegalStateException("unknown kind of type " + t);
        }
    }
}
