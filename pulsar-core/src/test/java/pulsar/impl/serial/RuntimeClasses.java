package pulsar.impl.serial;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;

/**
 * Compiles classes at test time so tests can use real package names outside {@code pulsar.**}
 * (which strict mode always allows) and the real names of gadget classes, loaded from a class
 * loader the codec only reaches through the thread context class loader, as in an application.
 */
final class RuntimeClasses {
    private RuntimeClasses() {
    }

    /** @param sources binary class name to Java source */
    static URLClassLoader compile(Path dir, Map<String, String> sources) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(compiler != null, "needs a JDK with javax.tools");
        Path src = Files.createDirectories(dir.resolve("src"));
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-proc:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        int rc = compiler.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test sources failed to compile: " + sources.keySet());
        }
        return new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, RuntimeClasses.class.getClassLoader());
    }

    /** Runs {@code body} with {@code loader} as the thread context class loader. */
    static <T> T withContextLoader(ClassLoader loader, java.util.concurrent.Callable<T> body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
