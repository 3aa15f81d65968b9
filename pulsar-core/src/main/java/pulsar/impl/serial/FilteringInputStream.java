package pulsar.impl.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * An {@link ObjectInputStream} that resolves classes through the thread context class loader
 * (application classes in containers and tests live there, not with the framework) and refuses
 * deny-listed names before loading them.
 */
final class FilteringInputStream extends ObjectInputStream {
    private final StreamFilter filter;
    private final ClassLoader fallback;

    FilteringInputStream(InputStream in, StreamFilter filter, ClassLoader fallback) throws IOException {
        super(in);
        this.filter = filter;
        this.fallback = fallback;
        setObjectInputFilter(filter);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        String name = desc.getName();
        if (!filter.checkName(name)) {
            throw new InvalidClassException(name, "rejected by the deserialization deny-list");
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : fallback;
        try {
            // initialize=false: no static initializer runs before the filter has seen the class.
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            if (loader != fallback) {
                try {
                    return Class.forName(name, false, fallback);
                } catch (ClassNotFoundException ignored) {
                    // fall through to the JDK's resolution
                }
            }
            // Handles primitive type names (int.class sent as a Class object) and reports the miss.
            return super.resolveClass(desc);
        }
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
        for (String name : interfaces) {
            if (!filter.checkName(name)) {
                throw new InvalidClassException(name, "rejected by the deserialization deny-list");
            }
        }
        return super.resolveProxyClass(interfaces);
    }
}
