package pulsar.impl.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deny-list and strict allow-list, with classes compiled at test time under real package names. */
class ObjectCodecFilterTest {
    private static final String ORDER = "com.acme.orders.Order";
    private static final String LAMBDAS = "com.acme.orders.Lambdas";
    private static final String GADGET = "org.apache.commons.collections.functors.InvokerTransformer";
    private static final String SWALLOWER = "com.acme.orders.Swallower";

    @TempDir
    static Path dir;
    private static URLClassLoader loader;

    @BeforeAll
    static void compileApplicationClasses() throws Exception {
        loader = RuntimeClasses.compile(dir, Map.of(
                ORDER, "package com.acme.orders;\n"
                        + "public record Order(String id, int qty) implements java.io.Serializable { }\n",
                LAMBDAS, "package com.acme.orders;\n"
                        + "public final class Lambdas {\n"
                        + "  public interface Fn extends java.util.function.Function<Integer, Integer>,"
                        + " java.io.Serializable { }\n"
                        + "  public static Fn adder(int n) { return x -> x + n; }\n"
                        + "}\n",
                GADGET, "package org.apache.commons.collections.functors;\n"
                        + "public class InvokerTransformer implements java.io.Serializable {\n"
                        + "  public String iMethodName = \"exec\";\n"
                        + "}\n",
                SWALLOWER, "package com.acme.orders;\n"
                        + "public class Swallower implements java.io.Serializable {\n"
                        + "  public Object inner;\n"
                        + "  private void readObject(java.io.ObjectInputStream in) {\n"
                        + "    try { in.defaultReadObject(); } catch (Exception e) { inner = \"swallowed\"; }\n"
                        + "  }\n"
                        + "}\n"));
    }

    @AfterAll
    static void closeLoader() throws Exception {
        loader.close();
    }

    private static Object order(String id, int qty) throws Exception {
        return loader.loadClass(ORDER).getConstructor(String.class, int.class).newInstance(id, qty);
    }

    private static Object gadget() throws Exception {
        return loader.loadClass(GADGET).getConstructor().newInstance();
    }

    @SuppressWarnings("unchecked")
    private static Function<Integer, Integer> adder(int n) throws Exception {
        return (Function<Integer, Integer>) loader.loadClass(LAMBDAS).getMethod("adder", int.class).invoke(null, n);
    }

    private static Object decodeInApp(ObjectCodec codec, byte[] tagged) throws Exception {
        return RuntimeClasses.withContextLoader(loader, () -> codec.decode(tagged));
    }

    // ---- deny-list mode -------------------------------------------------------------------

    @Test
    void denyListModeDecodesApplicationClassesThroughTheContextLoader() throws Exception {
        ObjectCodec codec = ObjectCodec.denyList();
        Object order = order("A-1", 3);
        assertThat(decodeInApp(codec, codec.encode(order))).isEqualTo(order);
        assertThat(decodeInApp(codec, codec.encode(adder(5)))).isInstanceOf(Function.class);
    }

    @Test
    void classMissingOnTheReceiverIsAClearIllegalArgument() throws Exception {
        byte[] tagged = ObjectCodec.denyList().encode(order("A-1", 3));
        assertThatThrownBy(() -> ObjectCodec.denyList().decode(tagged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class " + ORDER + " not found");
    }

    @Test
    void denyListedGadgetIsRejectedNamingClassAndSetting() throws Exception {
        byte[] tagged = ObjectCodec.denyList().encode(gadget());
        assertThatThrownBy(() -> decodeInApp(ObjectCodec.denyList(), tagged))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(GADGET))
                .hasMessage("class " + GADGET + " is not allowed to be deserialized (deny-listed gadget class);"
                        + " to allow application classes strictly, list them in the serialization_allow setting");
    }

    @Test
    void gadgetIsRejectedByNameBeforeItsClassIsEverLoaded() throws Exception {
        byte[] tagged = ObjectCodec.denyList().encode(gadget());
        // Without the application loader the class could not even be found: rejection comes first.
        assertThatThrownBy(() -> ObjectCodec.denyList().decode(tagged))
                .isInstanceOf(RejectedClassException.class);
    }

    @Test
    void gadgetNestedInAllowedContainersOrArraysIsRejected() throws Exception {
        HashMap<String, Object> map = new HashMap<>(Map.of("payload", new ArrayList<>(List.of(gadget()))));
        assertThatThrownBy(() -> decodeInApp(ObjectCodec.denyList(), ObjectCodec.denyList().encode(map)))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(GADGET));
        Object array = java.lang.reflect.Array.newInstance(loader.loadClass(GADGET), 1);
        assertThatThrownBy(() -> decodeInApp(ObjectCodec.denyList(), ObjectCodec.denyList().encode(array)))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(GADGET));
    }

    @Test
    void rejectionSwallowedByAReadObjectMethodStillFailsTheDecode() throws Exception {
        Object swallower = loader.loadClass(SWALLOWER).getConstructor().newInstance();
        swallower.getClass().getField("inner").set(swallower, gadget());
        byte[] tagged = ObjectCodec.denyList().encode(swallower);
        assertThatThrownBy(() -> decodeInApp(ObjectCodec.denyList(), tagged))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(GADGET));
    }

    @Test
    void realJdkGadgetTriggerIsRejected() {
        var trigger = new javax.management.BadAttributeValueExpException("x");
        byte[] tagged = ObjectCodec.denyList().encode(trigger);
        assertThatThrownBy(() -> ObjectCodec.denyList().decode(tagged))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className())
                        .isEqualTo("javax.management.BadAttributeValueExpException"))
                .hasMessageContaining("serialization_allow");
    }

    @Test
    void customDenyListIsHonoured() {
        record Harmless(int x) implements Serializable { }
        ObjectCodec codec = new ObjectCodec(new DenyList(List.of(Harmless.class.getName())), null);
        assertThatThrownBy(() -> codec.decode(codec.encode(new Harmless(1))))
                .isInstanceOfSatisfying(RejectedClassException.class,
                        e -> assertThat(e.className()).isEqualTo(Harmless.class.getName()));
    }

    // ---- strict allow-list mode --------------------------------------------------------------

    @Test
    void strictModeRejectsUnlistedApplicationClass() throws Exception {
        ObjectCodec strict = ObjectCodec.allowList("java.net.*");
        byte[] tagged = strict.encode(order("A-1", 3));
        assertThatThrownBy(() -> decodeInApp(strict, tagged))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(ORDER))
                .hasMessage("class " + ORDER + " is not allowed to be deserialized: add a pattern matching it to"
                        + " the serialization_allow setting (now: java.net.*)");
    }

    @Test
    void strictModeAcceptsTheClassOnceItsPackageIsListed() throws Exception {
        ObjectCodec strict = ObjectCodec.allowList("com.acme.orders.*");
        Object order = order("A-1", 3);
        assertThat(decodeInApp(strict, strict.encode(order))).isEqualTo(order);
        assertThat(decodeInApp(ObjectCodec.allowList("com.acme.**"), strict.encode(order))).isEqualTo(order);
        assertThat(decodeInApp(ObjectCodec.allowList(ORDER), strict.encode(order))).isEqualTo(order);
    }

    @Test
    void strictModeHonoursExclusionPatterns() throws Exception {
        ObjectCodec strict = ObjectCodec.allowList("!" + ORDER + ";com.acme.**");
        byte[] tagged = strict.encode(order("A-1", 3));
        assertThatThrownBy(() -> decodeInApp(strict, tagged))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(ORDER));
    }

    @Test
    void strictModeAlwaysAllowsFrameworkTypes() throws Exception {
        ObjectCodec strict = ObjectCodec.allowList("com.nothing.*");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("list", List.of(1, 2L, 3.0, "s", true, 'c'));
        map.put("set", Set.of(new BigInteger("12345678901234567890")));
        map.put("array", new Object[] {new int[] {1}, new String[] {"x"}});
        map.put("time", Instant.ofEpochSecond(1));
        map.put("concurrent", new ConcurrentHashMap<>(Map.of("k", "v")));
        map.put("error", new IllegalStateException("boom"));
        Object decoded = strict.decode(strict.encode(map));
        assertThat(decoded).isInstanceOf(LinkedHashMap.class);
        assertThat(((Map<?, ?>) decoded).get("list")).isEqualTo(map.get("list"));
        assertThat(((Map<?, ?>) decoded).get("concurrent")).isEqualTo(map.get("concurrent"));
        assertThat(((Map<?, ?>) decoded).get("error")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void strictModeRejectsJdkTypesOutsideTheFrameworkSetUnlessListed() {
        ObjectCodec strict = ObjectCodec.allowList("com.acme.**");
        byte[] tagged = strict.encode(URI.create("https://example.com"));
        assertThatThrownBy(() -> strict.decode(tagged))
                .isInstanceOfSatisfying(RejectedClassException.class,
                        e -> assertThat(e.className()).isEqualTo("java.net.URI"));
        assertThat(ObjectCodec.allowList("java.net.URI").decode(tagged)).isEqualTo(URI.create("https://example.com"));
    }

    @Test
    void strictModeStillRefusesDenyListedGadgetsEvenWhenAPatternMatches() throws Exception {
        ObjectCodec strict = ObjectCodec.allowList("org.apache.**");
        byte[] tagged = strict.encode(gadget());
        assertThatThrownBy(() -> decodeInApp(strict, tagged))
                .isInstanceOfSatisfying(RejectedClassException.class, e -> assertThat(e.className()).isEqualTo(GADGET))
                .hasMessageContaining("deny-listed")
                .hasMessageContaining("serialization_allow");
    }

    @Test
    void strictModeRequiresTheLambdasCapturingClassToBeListed() throws Exception {
        byte[] tagged = ObjectCodec.denyList().encode(adder(2));
        ObjectCodec unlisted = ObjectCodec.allowList("com.nothing.*");
        assertThatThrownBy(() -> decodeInApp(unlisted, tagged))
                .isInstanceOfSatisfying(RejectedClassException.class,
                        e -> assertThat(e.className()).isEqualTo(LAMBDAS));
        @SuppressWarnings("unchecked")
        Function<Integer, Integer> fn = (Function<Integer, Integer>) decodeInApp(ObjectCodec.allowList("com.acme.**"), tagged);
        assertThat(fn.apply(40)).isEqualTo(42);
    }

    @Test
    void strictModeAllowsLambdasCapturedInFrameworkPackages() {
        interface Fn extends Serializable, Function<Integer, Integer> { }
        int base = 1;
        Fn inc = x -> x + base;
        ObjectCodec strict = ObjectCodec.allowList("com.nothing.*");
        assertThat(((Fn) strict.decode(strict.encode(inc))).apply(1)).isEqualTo(2);
    }

    @Test
    void limitsInTheSettingApplyToo() throws Exception {
        ObjectCodec strict = ObjectCodec.allowList("com.acme.**;maxdepth=2");
        byte[] tagged = strict.encode(new ArrayList<>(List.of(new ArrayList<>(List.of(new ArrayList<>(List.of(1)))))));
        assertThatThrownBy(() -> strict.decode(tagged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serialization_allow");
    }

    // ---- setting validation ------------------------------------------------------------------

    @Test
    void patternsAreNormalised() {
        ObjectCodec strict = ObjectCodec.allowList(" com.acme.** ; java.net.URI ;; ");
        assertThat(strict.strict()).isTrue();
        assertThat(strict.allowPatterns()).isEqualTo("com.acme.**;java.net.URI");
        assertThat(strict.toString()).contains("com.acme.**;java.net.URI");
    }

    @Test
    void badPatternsAreRejectedAtOnceNamingTheSettingAndValue() {
        for (String bad : new String[] {"", "  ", " ; ", "com acme", "com.*.x", "com.acme.", "!", "maxdepth=abc",
                "com.acme.**;foo bar", "x=1", ".com"}) {
            assertThatThrownBy(() -> ObjectCodec.allowList(bad))
                    .as("pattern [%s]", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("serialization_allow")
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> ObjectCodec.allowList(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serialization_allow");
    }

    @Test
    void validPatternShapesAreAccepted() {
        for (String ok : new String[] {"com.acme.**", "com.acme.*", "com.acme.Order", "com.acme.Ord*",
                "!com.acme.Secret", "java.base/java.util.*", "*", "maxdepth=10;maxrefs=100;maxarray=5;maxbytes=1000",
                "com.acme.Outer$Inner", "ünïcode.pkg.*"}) {
            assertThat(ObjectCodec.allowList(ok).strict()).as(ok).isTrue();
        }
    }
}
