package pulsar.impl.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DenyListTest {
    private final DenyList deny = new DenyList(List.of("a.b.*", "c.d.**", "e.F"));

    @Test
    void packageRuleMatchesOnlyDirectClasses() {
        assertThat(deny.denies("a.b.X")).isTrue();
        assertThat(deny.denies("a.b.X$Inner")).isTrue();
        assertThat(deny.denies("a.b.sub.X")).isFalse();
        assertThat(deny.denies("a.bc.X")).isFalse();
    }

    @Test
    void recursiveRuleMatchesSubpackages() {
        assertThat(deny.denies("c.d.X")).isTrue();
        assertThat(deny.denies("c.d.e.f.X")).isTrue();
        assertThat(deny.denies("c.dx.X")).isFalse();
    }

    @Test
    void classRuleMatchesTheClassAndItsNestedClassesOnly() {
        assertThat(deny.denies("e.F")).isTrue();
        assertThat(deny.denies("e.F$1")).isTrue();
        assertThat(deny.denies("e.FG")).isFalse();
    }

    @Test
    void arrayDescriptorsAreUnwrapped() {
        assertThat(deny.denies("[La.b.X;")).isTrue();
        assertThat(deny.denies("[[Le.F;")).isTrue();
        assertThat(deny.denies("[I")).isFalse();
        assertThat(DenyList.elementName("[[Lx.Y;")).isEqualTo("x.Y");
    }

    @Test
    void defaultListCoversWellKnownGadgetsButNotEverydayTypes() {
        DenyList gadgets = DenyList.GADGETS;
        for (String name : new String[] {
            "org.apache.commons.collections.functors.InvokerTransformer",
            "org.apache.commons.collections4.functors.ChainedTransformer",
            "org.apache.commons.beanutils.BeanComparator",
            "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
            "javax.management.BadAttributeValueExpException",
            "java.rmi.server.UnicastRemoteObject",
            "sun.rmi.server.UnicastRef",
            "com.sun.rowset.JdbcRowSetImpl",
            "org.codehaus.groovy.runtime.ConvertedClosure",
            "org.springframework.beans.factory.ObjectFactory",
            "com.mchange.v2.c3p0.PoolBackedDataSource",
            "java.beans.EventHandler",
            "sun.reflect.annotation.AnnotationInvocationHandler",
        }) {
            assertThat(gadgets.denies(name)).as(name).isTrue();
        }
        for (String name : new String[] {"java.util.PriorityQueue", "java.util.HashMap", "java.lang.String",
                "java.net.URI", "com.acme.Order"}) {
            assertThat(gadgets.denies(name)).as(name).isFalse();
        }
    }
}
