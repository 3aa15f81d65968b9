package pulsar.impl.serial;

import java.util.List;
import java.util.Objects;

/**
 * Class-name rules for known deserialization gadgets. A rule is a class name (which also
 * covers its nested classes), {@code pkg.*} (classes directly in the package) or
 * {@code pkg.**} (the package and its subpackages). Matching is on names so a denied class
 * is rejected before it is ever loaded.
 */
final class DenyList {
    /** See {@link ObjectCodec} for why each entry is here. */
    static final DenyList GADGETS = new DenyList(List.of(
            // Apache Commons Collections / BeanUtils (ysoserial CommonsCollections1-7, CommonsBeanutils1)
            "org.apache.commons.collections.functors.*",
            "org.apache.commons.collections4.functors.*",
            "org.apache.commons.beanutils.BeanComparator",
            // XSLT TemplatesImpl: loads bytecode from its fields (JDK internal and Apache Xalan)
            "com.sun.org.apache.xalan.internal.xsltc.trax.*",
            "org.apache.xalan.xsltc.trax.*",
            "com.sun.org.apache.bcel.internal.util.ClassLoader",
            // JDK triggers and JNDI/RMI lookups
            "javax.management.**",
            "java.rmi.**",
            "sun.rmi.**",
            "com.sun.jndi.**",
            "javax.naming.**",
            "com.sun.rowset.**",
            "java.beans.**",
            "javax.script.**",
            "sun.reflect.annotation.AnnotationInvocationHandler",
            // Scripting languages and their runtimes
            "org.codehaus.groovy.runtime.**",
            "groovy.lang.**",
            "bsh.**",
            "clojure.**",
            "org.python.core.**",
            "org.mozilla.javascript.**",
            // Frameworks and libraries with published chains
            "org.springframework.beans.factory.**",
            "org.springframework.aop.**",
            "org.springframework.core.SerializableTypeWrapper",
            "com.mchange.v2.c3p0.**",
            "net.sf.json.**",
            "org.hibernate.engine.**",
            "org.hibernate.tuple.**",
            "org.hibernate.property.**",
            "com.alibaba.fastjson.**",
            "org.apache.commons.fileupload.disk.DiskFileItem",
            "org.apache.wicket.util.upload.DiskFileItem",
            "org.jboss.interceptor.**",
            "org.jboss.weld.interceptor.**",
            "com.sun.syndication.feed.impl.**",
            "com.rometools.rome.feed.impl.**",
            "org.apache.myfaces.el.**",
            "org.apache.click.control.Column",
            "com.vaadin.data.util.**"));

    private final List<String> rules;

    DenyList(List<String> rules) {
        this.rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
    }

    /** Whether the named class (array descriptors such as {@code [Lcom.x.Y;} included) is denied. */
    boolean denies(String className) {
        String name = elementName(className);
        for (String rule : rules) {
            if (matches(rule, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String rule, String name) {
        if (rule.endsWith(".**")) {
            return name.startsWith(rule.substring(0, rule.length() - 2));
        }
        if (rule.endsWith(".*")) {
            String pkg = rule.substring(0, rule.length() - 1);
            return name.startsWith(pkg) && name.indexOf('.', pkg.length()) < 0;
        }
        return name.equals(rule) || name.startsWith(rule + "$");
    }

    /** {@code [[Lcom.x.Y;} becomes {@code com.x.Y}; primitive array descriptors become e.g. {@code I}. */
    static String elementName(String className) {
        int dims = 0;
        while (dims < className.length() && className.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return className;
        }
        String element = className.substring(dims);
        return element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1)
                : element;
    }
}
