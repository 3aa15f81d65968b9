package pulsar.queue.impl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds classes with {@code @pulsar.queue.Task} methods on the class path without loading every
 * class: only class files holding the annotation's descriptor are loaded (the way core finds
 * {@code @Command}s). Libraries known to declare no tasks are skipped.
 */
final class TaskScanner {
    private static final Logger log = LoggerFactory.getLogger(TaskScanner.class);
    private static final byte[] DESCRIPTOR = "Lpulsar/queue/Task;".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> SKIP = List.of("netty-", "slf4j-", "logback-", "junit-", "assertj-", "awaitility-",
            "opentest4j-", "apiguardian-", "hamcrest-", "byte-buddy", "picocli-", "jmh-", "pekko-", "scala-", "jackson-",
            "lettuce-", "reactor-", "micrometer-", "jopt-", "commons-math3", "config-", "HdrHistogram", "surefire",
            "pulsar-core", "pulsar-queue", "pulsar-http", "vertx-");

    private TaskScanner() {
    }

    static List<Class<?>> scanClassPath() {
        long start = System.nanoTime();
        List<Class<?>> found = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = TaskScanner.class.getClassLoader();
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            String file = p.getFileName() == null ? "" : p.getFileName().toString();
            if (SKIP.stream().anyMatch(file::startsWith)) {
                continue;
            }
            try {
                if (Files.isDirectory(p)) {
                    scanDirectory(p, loader, found);
                } else if (file.endsWith(".jar") && Files.isRegularFile(p)) {
                    scanJar(p, loader, found);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("task scan skipped {}: {}", entry, e.toString());
            }
        }
        log.debug("found {} task classes in {} ms", found.size(), (System.nanoTime() - start) / 1_000_000);
        return found;
    }

    private static void scanDirectory(Path root, ClassLoader loader, List<Class<?>> found) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
                if (contains(Files.readAllBytes(f))) {
                    load(root.relativize(f).toString(), loader, found);
                }
            }
        }
    }

    private static void scanJar(Path jar, ClassLoader loader, List<Class<?>> found) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    try (InputStream in = jf.getInputStream(e)) {
                        if (contains(in.readAllBytes())) {
                            load(e.getName(), loader, found);
                        }
                    }
                }
            }
        }
    }

    private static void load(String path, ClassLoader loader, List<Class<?>> found) {
        String name = path.substring(0, path.length() - ".class".length()).replace('/', '.').replace('\\', '.');
        try {
            found.add(Class.forName(name, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            log.debug("cannot load task class {}: {}", name, e.toString());
        }
    }

    static boolean contains(byte[] data) {
        outer:
        for (int i = 0, n = data.length - DESCRIPTOR.length; i <= n; i++) {
            for (int j = 0; j < DESCRIPTOR.length; j++) {
                if (data[i + j] != DESCRIPTOR[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
