package pulsar;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The arbiter's settings: an immutable value. {@link #fromEnvironment()} reads each setting
 * from the system property {@code pulsar.<name>} or the environment variable
 * {@code PULSAR_<NAME>} (system property first), falling back to the {@code DEFAULT_*}
 * constants; {@code withX} returns a changed copy. Invalid values fail at once with an
 * {@link IllegalArgumentException} naming the setting and the value.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>name</th><th>meaning</th></tr>
 * <tr><td>{@code mailbox_host}</td><td>host mailboxes listen on (loopback by default); {@link #bind()} in Java</td></tr>
 * <tr><td>{@code bind}</td><td>where an application's servers listen; {@link #serverBind()} in Java</td></tr>
 * <tr><td>{@code arbiter_port}</td><td>the arbiter mailbox port, 0 for a free one</td></tr>
 * <tr><td>{@code max_bulk_length}</td><td>largest RESP bulk string a mailbox accepts, bytes</td></tr>
 * <tr><td>{@code max_message_length}</td><td>largest request a mailbox reads and largest reply or
 * request it writes (and value an in-JVM send copies), bytes</td></tr>
 * <tr><td>{@code max_unauthenticated_length}</td><td>largest request a mailbox buffers before
 * {@code AUTH}, bytes</td></tr>
 * <tr><td>{@code auth_timeout}</td><td>a mailbox connection that has not authenticated within it is closed</td></tr>
 * <tr><td>{@code mailbox_max_connections}</td><td>most open connections per mailbox</td></tr>
 * <tr><td>{@code serialization_allow}</td><td>JDK filter patterns: a strict allow-list of
 * classes that may be deserialized; empty means "application classes minus known gadgets"</td></tr>
 * <tr><td>{@code timeout}</td><td>an actor that does not notify its manager within it is stopped</td></tr>
 * <tr><td>{@code handshake_timeout}</td><td>how long a spawn waits for the actor's handshake</td></tr>
 * <tr><td>{@code stop_grace}</td><td>how long a stop waits before a kill</td></tr>
 * <tr><td>{@code secret_file}</td><td>file holding the mailbox secret (also {@code PULSAR_SECRET_FILE})</td></tr>
 * <tr><td>{@code spare_processes}</td><td>warm child JVMs kept ready for process spawns</td></tr>
 * <tr><td>{@code jvm_options}</td><td>JVM options of child JVMs</td></tr>
 * <tr><td>{@code aot_cache}</td><td>{@code auto}, {@code off} or a JDK 25 AOT cache path for child JVMs</td></tr>
 * </table>
 */
public final class Settings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Mailboxes listen on loopback unless told otherwise (the {@code mailbox_host} setting). */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** Empty: each application listens where it says by default (echo on 127.0.0.1:8060). */
    public static final String DEFAULT_SERVER_BIND = "";
    /** A free port. */
    public static final int DEFAULT_ARBITER_PORT = 0;
    /** 8 MiB: big enough for serialized functions and values, small enough to bound memory. */
    public static final int DEFAULT_MAX_BULK_LENGTH = 8 * 1024 * 1024;
    /** 16 MiB: two full-size bulks and then some; bounds what one request or reply may make a peer buffer. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;
    /** 4 KiB: room for {@code HELLO 3 AUTH default <secret>}, nothing a stranger could use to fill memory. */
    public static final int DEFAULT_MAX_UNAUTHENTICATED_LENGTH = 4 * 1024;
    /** A client that has not authenticated within 5 s is disconnected. */
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(5);
    /** 1024 connections per mailbox, about one per client process or loop. */
    public static final int DEFAULT_MAILBOX_MAX_CONNECTIONS = 1024;
    /** No strict allow-list: application classes minus known gadget classes decode. */
    public static final String DEFAULT_SERIALIZATION_ALLOW = "";
    /** As gunicorn: a worker silent for 30 s is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Time for an actor to open its mailbox, notify and run {@code onStart}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** Time a stopping actor gets before it is killed. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

    /** No warm spare child JVMs. */
    public static final int DEFAULT_SPARE_PROCESSES = 0;
    /**
     * Serial GC and a small initial heap (it grows with the work), tiered compilation with two
     * compiler threads (C1 and C2) and a 64 MiB code cache, the native heap given back to the
     * system every second ({@code TrimNativeHeapInterval}: the compilers' arenas of the start-up
     * are freed a few seconds later), no perf data file: an idle process actor stays small (about
     * 62 MiB resident with the AOT cache, as a bare Netty server JVM) and a busy one compiles its hot paths with C2 (3.5x the pipelined
     * messages/s of C1 only, the former default). Valid from JDK 17.0.9 and 21.0.1 on.
     */
    public static final String DEFAULT_JVM_OPTIONS = "-XX:+UseSerialGC -XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=64m -Xss512k -Xms4m -Xmx256m"
            + " -XX:TrimNativeHeapInterval=1000 -XX:-UsePerfData";
    /**
     * The JVM options of an application's process workers while {@code jvm_options} keeps its
     * default: a larger heap from the start (32 MiB, at most 512 MiB) and the JVM's own code cache
     * size, because a server worker lives long and allocates per request; tiered compilation (C2)
     * as for every child.
     */
    public static final String DEFAULT_WORKER_JVM_OPTIONS = "-XX:+UseSerialGC -Xss512k -Xms32m -Xmx512m -XX:-UsePerfData";
    /**
     * The warm spare child JVMs kept for an application's process workers while
     * {@code spare_processes} is not set: one, so that a dead worker's replacement does not wait
     * for a JVM to start (a JVM cannot fork), at the cost of one idle JVM.
     */
    public static final int DEFAULT_WORKER_SPARE_PROCESSES = 1;
    /** Use a JDK 25 AOT cache for child JVMs when the JDK supports it. */
    public static final String DEFAULT_AOT_CACHE = "auto";
    /** The listen backlog of an application's servers. */
    public static final int DEFAULT_BACKLOG = 2048;
    /** A connection silent for this long is closed. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    /** Most open connections per worker. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The master's log level under {@code pulsar run}. */
    public static final String DEFAULT_LOG_LEVEL = "info";
    /** One worker per application unless told otherwise. */
    public static final int DEFAULT_WORKERS = 1;
    /** Workers are child JVMs, for crash, GC and memory isolation. */
    public static final String DEFAULT_CONCURRENCY = "process";
    /** As gunicorn: a stopping application gives its workers 30 s to finish what is in flight. */
    public static final Duration DEFAULT_GRACEFUL_TIMEOUT = Duration.ofSeconds(30);
    /** 0: workers are never retired for the number of requests they served. */
    public static final int DEFAULT_MAX_REQUESTS = 0;
    /** 0: no jitter on {@code max_requests}. */
    public static final int DEFAULT_MAX_REQUESTS_JITTER = 0;
    /** Five workers failing to start within {@code crash_loop_window} stop the application. */
    public static final int DEFAULT_CRASH_LOOP_FAILURES = 5;
    /** The window of the crash-loop brake. */
    public static final Duration DEFAULT_CRASH_LOOP_WINDOW = Duration.ofSeconds(10);
    /** Each worker binds the application's addresses itself, with {@code SO_REUSEPORT}. */
    public static final boolean DEFAULT_REUSE_PORT = true;
    /** The task queue lives in the arbiter's JVM ({@code redis://host:port/db} spreads it over machines). */
    public static final String DEFAULT_QUEUE = "embedded:";
    /** The {@code taskqueue} example submits no task of its own: it serves. */
    public static final int DEFAULT_TASKS = 0;
    /** A task-queue worker fetches 8 tasks at once: each waits in the worker under its lease. */
    public static final int DEFAULT_TASK_BATCH = 8;
    /** 8 KiB: the longest HTTP request line; a longer one is answered 414. */
    public static final int DEFAULT_MAX_REQUEST_LINE = 8192;
    /** 16 KiB: the most bytes of HTTP headers in one request; more are answered 431. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 16384;
    /** The most HTTP header fields in one request; more are answered 431. */
    public static final int DEFAULT_MAX_HEADERS = 100;
    /** 10 MiB: the largest HTTP request body; a larger one is answered 413. */
    public static final int DEFAULT_MAX_BODY_SIZE = 10 * 1024 * 1024;
    /** A client has 10 s to send a request's line and headers, from its first byte. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** The most blocking-route calls in flight per HTTP worker. */
    public static final int DEFAULT_MAX_BLOCKING = 256;
    /** 64 KiB: the largest WebSocket message. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 65536;
    /** A request's body must arrive within 60 s of its head (a body trickled byte by byte cannot hold a connection). */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    /** No access log unless asked: one log line per request costs more than the request (gunicorn's default too). */
    public static final boolean DEFAULT_ACCESS_LOG = false;
    /** HTTP responses are not compressed unless asked. */
    public static final String DEFAULT_COMPRESS = "off";

    // Never changed after construction: copies are made by with*().
    private String bind;
    private int arbiterPort;
    private int maxBulkLength;
    private int maxMessageLength;
    private int maxUnauthenticatedLength;
    private Duration authTimeout;
    private int mailboxMaxConnections;
    private String serializationAllow;
    private Duration timeout;
    private Duration handshakeTimeout;
    private Duration stopGrace;
    private String secretFile;
    private int spareProcesses;
    /** Whether {@code spare_processes} was set rather than left at its default. */
    private boolean spareProcessesGiven;
    private String jvmOptions;
    private String aotCache;
    private int workers;
    private String logLevel;
    private String pidFile;
    private int backlog;
    private Duration keepAlive;
    private int maxConnections;
    private String keyFile;
    private String certFile;
    private String serverBind;
    private String workerConcurrency;
    private Duration gracefulTimeout;
    private int maxRequests;
    private int maxRequestsJitter;
    private int crashLoopFailures;
    private Duration crashLoopWindow;
    private boolean reusePort;
    private boolean accessLog;
    private String queue;
    private int tasks;
    private int taskBatch;
    private Duration bodyTimeout;
    private int maxRequestLine;
    private int maxHeaderSize;
    private int maxHeaders;
    private int maxBodySize;
    private Duration headerTimeout;
    private int maxBlocking;
    private int maxFrameSize;
    private String compress;

    private Settings() {
        bind = DEFAULT_BIND;
        arbiterPort = DEFAULT_ARBITER_PORT;
        maxBulkLength = DEFAULT_MAX_BULK_LENGTH;
        maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
        maxUnauthenticatedLength = DEFAULT_MAX_UNAUTHENTICATED_LENGTH;
        authTimeout = DEFAULT_AUTH_TIMEOUT;
        mailboxMaxConnections = DEFAULT_MAILBOX_MAX_CONNECTIONS;
        serializationAllow = DEFAULT_SERIALIZATION_ALLOW;
        timeout = DEFAULT_TIMEOUT;
        handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        stopGrace = DEFAULT_STOP_GRACE;
        spareProcesses = DEFAULT_SPARE_PROCESSES;
        jvmOptions = DEFAULT_JVM_OPTIONS;
        aotCache = DEFAULT_AOT_CACHE;
        workers = DEFAULT_WORKERS;
        logLevel = DEFAULT_LOG_LEVEL;
        pidFile = "";
        backlog = DEFAULT_BACKLOG;
        keepAlive = DEFAULT_KEEP_ALIVE;
        maxConnections = DEFAULT_MAX_CONNECTIONS;
        keyFile = "";
        certFile = "";
        serverBind = DEFAULT_SERVER_BIND;
        workerConcurrency = DEFAULT_CONCURRENCY;
        gracefulTimeout = DEFAULT_GRACEFUL_TIMEOUT;
        maxRequests = DEFAULT_MAX_REQUESTS;
        maxRequestsJitter = DEFAULT_MAX_REQUESTS_JITTER;
        crashLoopFailures = DEFAULT_CRASH_LOOP_FAILURES;
        crashLoopWindow = DEFAULT_CRASH_LOOP_WINDOW;
        reusePort = DEFAULT_REUSE_PORT;
        accessLog = DEFAULT_ACCESS_LOG;
        queue = DEFAULT_QUEUE;
        tasks = DEFAULT_TASKS;
        taskBatch = DEFAULT_TASK_BATCH;
        bodyTimeout = DEFAULT_BODY_TIMEOUT;
        maxRequestLine = DEFAULT_MAX_REQUEST_LINE;
        maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        maxHeaders = DEFAULT_MAX_HEADERS;
        maxBodySize = DEFAULT_MAX_BODY_SIZE;
        headerTimeout = DEFAULT_HEADER_TIMEOUT;
        maxBlocking = DEFAULT_MAX_BLOCKING;
        maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        compress = DEFAULT_COMPRESS;
    }

    private Settings copy(java.util.function.Consumer<Settings> change) {
        Settings s = new Settings();
        s.bind = bind;
        s.arbiterPort = arbiterPort;
        s.maxBulkLength = maxBulkLength;
        s.maxMessageLength = maxMessageLength;
        s.maxUnauthenticatedLength = maxUnauthenticatedLength;
        s.authTimeout = authTimeout;
        s.mailboxMaxConnections = mailboxMaxConnections;
        s.serializationAllow = serializationAllow;
        s.timeout = timeout;
        s.handshakeTimeout = handshakeTimeout;
        s.stopGrace = stopGrace;
        s.secretFile = secretFile;
        s.spareProcesses = spareProcesses;
        s.spareProcessesGiven = spareProcessesGiven;
        s.jvmOptions = jvmOptions;
        s.aotCache = aotCache;
        s.workers = workers;
        s.logLevel = logLevel;
        s.pidFile = pidFile;
        s.backlog = backlog;
        s.keepAlive = keepAlive;
        s.maxConnections = maxConnections;
        s.keyFile = keyFile;
        s.certFile = certFile;
        s.serverBind = serverBind;
        s.workerConcurrency = workerConcurrency;
        s.gracefulTimeout = gracefulTimeout;
        s.maxRequests = maxRequests;
        s.maxRequestsJitter = maxRequestsJitter;
        s.crashLoopFailures = crashLoopFailures;
        s.crashLoopWindow = crashLoopWindow;
        s.reusePort = reusePort;
        s.accessLog = accessLog;
        s.queue = queue;
        s.tasks = tasks;
        s.taskBatch = taskBatch;
        s.bodyTimeout = bodyTimeout;
        s.maxRequestLine = maxRequestLine;
        s.maxHeaderSize = maxHeaderSize;
        s.maxHeaders = maxHeaders;
        s.maxBodySize = maxBodySize;
        s.headerTimeout = headerTimeout;
        s.maxBlocking = maxBlocking;
        s.maxFrameSize = maxFrameSize;
        s.compress = compress;
        change.accept(s);
        s.validate();
        return s;
    }

    private void validate() {
        bind = requireText("mailbox_host", bind);
        serverBind = Objects.requireNonNull(serverBind, "bind").trim();
        if (!serverBind.isEmpty()) {
            pulsar.app.ServerBinding.parseList(serverBind); // names the bad part
        }
        checkRange("arbiter_port", arbiterPort, 0, 65535);
        checkRange("max_bulk_length", maxBulkLength, 1024, Integer.MAX_VALUE - 64);
        checkRange("max_message_length", maxMessageLength, 1024, Integer.MAX_VALUE - 64);
        checkRange("max_unauthenticated_length", maxUnauthenticatedLength, 256, 1024 * 1024);
        positive("auth_timeout", authTimeout);
        checkRange("mailbox_max_connections", mailboxMaxConnections, 1, 1_000_000);
        serializationAllow = Objects.requireNonNull(serializationAllow, "serialization_allow").trim();
        positive("timeout", timeout);
        positive("handshake_timeout", handshakeTimeout);
        positive("stop_grace", stopGrace);
        secretFile = secretFile == null || secretFile.isBlank() ? null : secretFile;
        checkRange("spare_processes", spareProcesses, 0, 64);
        jvmOptions = Objects.requireNonNull(jvmOptions, "jvm_options").trim();
        aotCache = Objects.requireNonNull(aotCache, "aot_cache").trim();
        checkRange("workers", workers, 0, 1024);
        logLevel = Objects.requireNonNull(logLevel, "log_level").trim().toLowerCase(Locale.ROOT);
        if (!List.of("trace", "debug", "info", "warn", "error", "off").contains(logLevel)) {
            throw new IllegalArgumentException("setting log_level: '" + logLevel + "' is not trace, debug, info, warn, error or off");
        }
        pidFile = Objects.requireNonNull(pidFile, "pid_file").trim();
        checkRange("backlog", backlog, 0, 1 << 20);
        positive("keep_alive", keepAlive);
        checkRange("max_connections", maxConnections, 1, 10_000_000);
        keyFile = Objects.requireNonNull(keyFile, "key_file").trim();
        certFile = Objects.requireNonNull(certFile, "cert_file").trim();

        workerConcurrency = Objects.requireNonNull(workerConcurrency, "concurrency").trim().toLowerCase(Locale.ROOT);
        if (!workerConcurrency.equals("process") && !workerConcurrency.equals("thread")) {
            throw new IllegalArgumentException("setting concurrency: '" + workerConcurrency + "' is not process or thread");
        }
        positive("graceful_timeout", gracefulTimeout);
        checkRange("max_requests", maxRequests, 0, Integer.MAX_VALUE);
        checkRange("max_requests_jitter", maxRequestsJitter, 0, Integer.MAX_VALUE);
        checkRange("crash_loop_failures", crashLoopFailures, 1, 1000);
        positive("crash_loop_window", crashLoopWindow);
        checkRange("max_request_line", maxRequestLine, 64, 1 << 20);
        checkRange("max_header_size", maxHeaderSize, 256, 1 << 20);
        checkRange("max_headers", maxHeaders, 1, 10_000);
        checkRange("max_body_size", maxBodySize, 0, Integer.MAX_VALUE - 64);
        positive("header_timeout", headerTimeout);
        checkRange("max_blocking", maxBlocking, 1, 1_000_000);
        queue = Objects.requireNonNull(queue, "queue").trim();
        if (queue.isEmpty() || queue.length() > 1024 || queue.chars().anyMatch(Character::isWhitespace) || queue.indexOf(':') < 1) {
            throw new IllegalArgumentException("queue: '" + queue + "' is not a queue URL such as embedded: or redis://127.0.0.1:6379/0");
        }
        checkRange("tasks", tasks, 0, 100_000_000);
        checkRange("task_batch", taskBatch, 1, 1000);
        checkRange("max_frame_size", maxFrameSize, 125, 1 << 30);
        compress = Objects.requireNonNull(compress, "compress").trim().toLowerCase(Locale.ROOT);
        if (!compress.equals("on") && !compress.equals("off")) {
            throw new IllegalArgumentException("setting compress: '" + compress + "' is not on or off");
        }
        if (aotCache.isEmpty()) {
            throw new IllegalArgumentException("setting aot_cache: must be auto, off or a file path");
        }
    }

    /** The defaults, ignoring system properties and the environment. */
    public static Settings defaults() {
        return new Settings();
    }

    /** The defaults overridden by {@code pulsar.<name>} system properties and {@code PULSAR_<NAME>} variables. */
    public static Settings fromEnvironment() {
        return fromMap(System.getenv(), System.getProperties());
    }

    /**
     * A copy with the system properties {@code pulsar.<name>} and environment variables
     * {@code PULSAR_<NAME>} applied (properties first): what the environment says over these.
     *
     * @throws IllegalArgumentException naming the setting and the value when one is wrong
     */
    public Settings withEnvironment() {
        return fromMap(this, System.getenv(), System.getProperties());
    }

    /**
     * A copy with {@code name → value} pairs applied, such as the lines of a config file;
     * {@code origin} (a file name) starts the message of the exception a wrong pair throws.
     *
     * @throws IllegalArgumentException naming the origin, the setting and the value
     */
    public Settings withAll(Map<String, String> values, String origin) {
        Settings s = this;
        for (Map.Entry<String, String> e : values.entrySet()) {
            try {
                s = s.with(e.getKey().trim(), e.getValue().trim());
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException(origin + ": " + x.getMessage(), x);
            }
        }
        return s;
    }

    static Settings fromMap(Map<String, String> env, Map<Object, Object> props) {
        return fromMap(defaults(), env, props);
    }

    private static Settings fromMap(Settings base, Map<String, String> env, Map<Object, Object> props) {
        Settings s = base;
        for (String name : REGISTRY.keySet()) {
            String v = lookup(name, env, props);
            if (v != null) {
                s = s.with(name, v);
            }
        }
        return s;
    }

    private static String lookup(String name, Map<String, String> env, Map<Object, Object> props) {
        Object p = props.get("pulsar." + name);
        if (p != null) {
            return p.toString();
        }
        return env.get("PULSAR_" + name.toUpperCase(Locale.ROOT));
    }

    /** Parses {@code 30}, {@code 30s}, {@code 500ms}, {@code 2m} or an ISO-8601 duration. */
    public static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) return Duration.parse(v.toUpperCase(Locale.ROOT));
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            if (v.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting " + name + ": '" + value
                    + "' is not a duration (examples: 30, 30s, 500ms, 2m, PT30S)");
        }
    }

    private static boolean parseBoolean(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("setting " + name + ": '" + value + "' is not true or false");
        };
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + name + ": '" + value + "' is not an integer");
        }
    }

    private static String requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("setting " + name + ": must not be empty");
        }
        return value.trim();
    }

    private static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("setting " + name + ": " + value + " is not in [" + min + ", " + max + "]");
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("setting " + name + ": " + value + " must be a positive duration");
        }
        return value;
    }

    /** Host that mailboxes bind to. */
    public String bind() { return bind; }
    /** Host that mailboxes bind to: the {@code mailbox_host} setting (the same as {@link #bind()}). */
    public String mailboxHost() { return bind; }
    /**
     * Where an application's servers listen: the {@code bind} setting, {@code HOST:PORT},
     * {@code :PORT} (loopback), {@code unix:PATH} or a comma list; empty for the application's
     * default.
     */
    public String serverBind() { return serverBind; }
    /** The arbiter's mailbox port; 0 picks a free port. */
    public int arbiterPort() { return arbiterPort; }
    /** Largest bulk string a mailbox accepts, in bytes; a longer one closes the connection. */
    public int maxBulkLength() { return maxBulkLength; }
    /**
     * Largest request a mailbox reads once authenticated, all its elements together, in bytes (a
     * longer one closes the connection); also the largest reply it writes, request our client
     * writes and value an in-JVM send copies (a larger one fails that call only).
     */
    public int maxMessageLength() { return maxMessageLength; }
    /** Largest request a mailbox buffers before {@code AUTH}, in bytes; a longer one closes the connection. */
    public int maxUnauthenticatedLength() { return maxUnauthenticatedLength; }
    /** A mailbox connection that has not authenticated within this is closed. */
    public Duration authTimeout() { return authTimeout; }
    /** Most open connections one mailbox accepts; further ones are answered with an error and closed. */
    public int mailboxMaxConnections() { return mailboxMaxConnections; }
    /** JDK serial-filter patterns of the strict allow-list, or empty for the default deny-list mode. */
    public String serializationAllow() { return serializationAllow; }
    /** An actor silent for longer than this is stopped by its manager. */
    public Duration timeout() { return timeout; }
    /** How long a spawn waits for the handshake and {@code onStart}. */
    public Duration handshakeTimeout() { return handshakeTimeout; }
    /** How long a stopping actor gets before it is killed. */
    public Duration stopGrace() { return stopGrace; }
    /** The secret file, or {@code null} for {@code PULSAR_SECRET_FILE} or {@code ~/.pulsar/secret}. */
    public String secretFile() { return secretFile; }
    /** How many warm child JVMs wait for process spawns. */
    public int spareProcesses() { return spareProcesses; }
    /**
     * Whether {@code spare_processes} was set (by {@link #withSpareProcesses}, the environment, a
     * config file, the command line), even to its default, rather than left at its default: an
     * application's process workers then keep that many spares instead of
     * {@link #DEFAULT_WORKER_SPARE_PROCESSES}.
     */
    public boolean spareProcessesGiven() { return spareProcessesGiven; }
    /** JVM options of child JVMs, space-separated. */
    public String jvmOptions() { return jvmOptions; }
    /** {@code auto} (a JDK 25 AOT cache made on first use), {@code off}, or a cache file path. */
    public String aotCache() { return aotCache; }

    /** How many workers an application keeps alive. */
    public int workers() { return workers; }
    /** The log level {@code pulsar run} sets on its process: trace, debug, info, warn, error or off. */
    public String logLevel() { return logLevel; }
    /** A file {@code pulsar run} writes its pid to (and removes when it exits), or empty. */
    public String pidFile() { return pidFile; }
    /** The listen backlog of an application's servers. */
    public int backlog() { return backlog; }
    /** A server connection silent for this long is closed. */
    public Duration keepAlive() { return keepAlive; }
    /** Most open connections per worker of a server application. */
    public int maxConnections() { return maxConnections; }
    /** PEM private key for TLS, or empty. */
    public String keyFile() { return keyFile; }
    /** PEM certificate (chain) for TLS, or empty. */
    public String certFile() { return certFile; }
    /** A copy with another {@code backlog}. */
    public Settings withBacklog(int v) { return copy(s -> s.backlog = v); }
    /** A copy with another {@code keep_alive}. */
    public Settings withKeepAlive(Duration v) { return copy(s -> s.keepAlive = v); }
    /** A copy with another {@code max_connections}. */
    public Settings withMaxConnections(int v) { return copy(s -> s.maxConnections = v); }
    /** A copy with TLS from these PEM files ({@code cert_file}, {@code key_file}); empty strings for none. */
    public Settings withTls(String certFile, String keyFile) { return copy(s -> { s.certFile = certFile; s.keyFile = keyFile; }); }
    /** What an application's workers are: {@code process} (child JVMs) or {@code thread}. */
    public Concurrency concurrency() { return Concurrency.valueOf(workerConcurrency.toUpperCase(Locale.ROOT)); }
    /** How long a stopping application's workers get to finish what is in flight. */
    public Duration gracefulTimeout() { return gracefulTimeout; }
    /** A worker is retired after serving this many requests (plus jitter); 0 never. */
    public int maxRequests() { return maxRequests; }
    /** The largest random number added to {@code max_requests} per worker, so that workers do not retire together. */
    public int maxRequestsJitter() { return maxRequestsJitter; }
    /** How many workers failing to start within {@link #crashLoopWindow()} stop the application. */
    public int crashLoopFailures() { return crashLoopFailures; }
    /** The window of the crash-loop brake. */
    public Duration crashLoopWindow() { return crashLoopWindow; }
    /**
     * Whether each worker of a server application binds its addresses itself with
     * {@code SO_REUSEPORT} ({@code true}), or the monitor binds them once and hands every worker
     * a duplicate of its listening sockets ({@code false}).
     */
    public boolean reusePort() { return reusePort; }

    /** The longest HTTP request line, bytes; a longer one is answered 414. */
    public int maxRequestLine() { return maxRequestLine; }
    /** The most bytes of HTTP header fields in one request; more are answered 431. */
    public int maxHeaderSize() { return maxHeaderSize; }
    /** The most HTTP header fields in one request; more are answered 431. */
    public int maxHeaders() { return maxHeaders; }
    /** The largest HTTP request body, bytes; a larger one is answered 413. */
    public int maxBodySize() { return maxBodySize; }
    /** How long a client has to send a request's line and headers, from its first byte. */
    public Duration headerTimeout() { return headerTimeout; }
    /** The most blocking-route calls in flight per HTTP worker; more wait for their turn. */
    public int maxBlocking() { return maxBlocking; }
    /** The largest WebSocket message, bytes; a larger one closes the connection with 1009. */
    public int maxFrameSize() { return maxFrameSize; }
    /** Time a client has to send a request's whole body, from the end of its head. */
    public Duration bodyTimeout() { return bodyTimeout; }
    /** Whether an HTTP server logs one line per request on the logger {@code pulsar.http.access}. */
    public boolean accessLog() { return accessLog; }
    /** {@code queue}: the task queue's URL. */
    public String queue() { return queue; }
    /** {@code tasks}: how many tasks the {@code taskqueue} example submits before it stops (0: it serves). */
    public int tasks() { return tasks; }
    /** {@code task_batch}: how many tasks a task-queue worker fetches at once. */
    public int taskBatch() { return taskBatch; }
    /** Whether HTTP responses are compressed (gzip or deflate) for clients that accept it. */
    public boolean compress() { return compress.equals("on"); }

    /** A copy with another {@code workers}. */
    public Settings withWorkers(int v) { return copy(s -> s.workers = v); }
    /** A copy with another {@code concurrency} for application workers. */
    public Settings withConcurrency(Concurrency v) { return copy(s -> s.workerConcurrency = v.wireName()); }
    /** A copy with another {@code graceful_timeout}. */
    public Settings withGracefulTimeout(Duration v) { return copy(s -> s.gracefulTimeout = v); }
    /** A copy with another {@code max_requests}. */
    public Settings withMaxRequests(int v) { return copy(s -> s.maxRequests = v); }
    /** A copy with another {@code max_requests_jitter}. */
    public Settings withMaxRequestsJitter(int v) { return copy(s -> s.maxRequestsJitter = v); }
    /** A copy with another {@code crash_loop_failures}. */
    public Settings withCrashLoopFailures(int v) { return copy(s -> s.crashLoopFailures = v); }
    /** A copy with another {@code crash_loop_window}. */
    public Settings withCrashLoopWindow(Duration v) { return copy(s -> s.crashLoopWindow = v); }
    /** A copy with another {@code reuse_port}. */
    public Settings withReusePort(boolean v) { return copy(s -> s.reusePort = v); }

    /** How often an actor notifies its manager: a third of {@link #timeout()}, at least every 100 ms. */
    public Duration notifyInterval() {
        return timeout.dividedBy(3).compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : timeout.dividedBy(3);
    }

    /** A copy with another {@code bind}. */
    public Settings withBind(String v) { return copy(s -> s.bind = v); }
    /** A copy with another {@code mailbox_host} (the same as {@link #withBind(String)}). */
    public Settings withMailboxHost(String v) { return copy(s -> s.bind = v); }
    /** A copy with another {@code bind}: where an application's servers listen. */
    public Settings withServerBind(String v) { return copy(s -> s.serverBind = v); }
    /** A copy with another {@code arbiter_port}. */
    public Settings withArbiterPort(int v) { return copy(s -> s.arbiterPort = v); }
    /** A copy with another {@code max_bulk_length}. */
    public Settings withMaxBulkLength(int v) { return copy(s -> s.maxBulkLength = v); }
    /** A copy with another {@code max_message_length}. */
    public Settings withMaxMessageLength(int v) { return copy(s -> s.maxMessageLength = v); }
    /** A copy with another {@code max_unauthenticated_length}. */
    public Settings withMaxUnauthenticatedLength(int v) { return copy(s -> s.maxUnauthenticatedLength = v); }
    /** A copy with another {@code auth_timeout}. */
    public Settings withAuthTimeout(Duration v) { return copy(s -> s.authTimeout = v); }
    /** A copy with another {@code mailbox_max_connections}. */
    public Settings withMailboxMaxConnections(int v) { return copy(s -> s.mailboxMaxConnections = v); }
    /** A copy with another {@code serialization_allow}. */
    public Settings withSerializationAllow(String v) { return copy(s -> s.serializationAllow = v); }
    /** A copy with another {@code timeout}. */
    public Settings withTimeout(Duration v) { return copy(s -> s.timeout = v); }
    /** A copy with another {@code handshake_timeout}. */
    public Settings withHandshakeTimeout(Duration v) { return copy(s -> s.handshakeTimeout = v); }
    /** A copy with another {@code stop_grace}. */
    public Settings withStopGrace(Duration v) { return copy(s -> s.stopGrace = v); }
    /** A copy with another {@code secret_file}. */
    public Settings withSecretFile(String v) { return copy(s -> s.secretFile = v); }
    /** A copy with another {@code spare_processes}. */
    public Settings withSpareProcesses(int v) {
        return copy(s -> {
            s.spareProcesses = v;
            s.spareProcessesGiven = true;
        });
    }
    /** A copy with other {@code jvm_options} (space-separated) for child JVMs. */
    public Settings withJvmOptions(String v) { return copy(s -> s.jvmOptions = v); }
    /** A copy with another {@code aot_cache}: {@code auto}, {@code off} or a cache file path. */
    public Settings withAotCache(String v) { return copy(s -> s.aotCache = v); }

    /** The settings as {@code name → value}, as {@code info} shows them (durations in seconds). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        REGISTRY.forEach((name, d) -> m.put(name, d.show(this)));
        return m;
    }

    /** The names of every setting, in a stable order. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * The value of setting {@code name} as {@code info} and {@code config get} show it: a string,
     * a {@code Long}, a {@code Boolean} or a duration in seconds as a {@code Double}.
     *
     * @throws IllegalArgumentException when no setting has that name
     */
    public Object get(String name) {
        return definition(name, null).show(this);
    }

    /**
     * A copy with setting {@code name} parsed from {@code value}, as the environment, the command
     * line and {@code config set} give it (durations as {@code 30s}, {@code 500ms}, ...).
     *
     * @throws IllegalArgumentException naming the setting and the value when either is wrong
     */
    public Settings with(String name, String value) {
        Objects.requireNonNull(value, "value");
        return definition(name, value).parse(this, value);
    }

    /**
     * A copy with setting {@code name} set to {@code value}: a {@link Duration}, a number, or
     * text parsed as {@link #with(String, String)} does.
     *
     * @throws IllegalArgumentException naming the setting and the value when either is wrong
     */
    public Settings with(String name, Object value) {
        Definition d = definition(name, value);
        if (value instanceof Duration duration && d.type == Type.DURATION) {
            return d.parse(this, duration.toMillis() + "ms");
        }
        if (value == null) {
            throw new IllegalArgumentException("setting " + name + ": null is not a valid value");
        }
        return d.parse(this, String.valueOf(value));
    }

    /** Whether setting {@code name} exists. */
    public static boolean isSetting(String name) {
        return name != null && REGISTRY.containsKey(name);
    }

    /** What setting {@code name} means, in one line. */
    public static String description(String name) {
        return definition(name, null).description;
    }

    /**
     * When setting {@code name} may change: {@link Scope#PROCESS} settings are fixed for the life
     * of the arbiter; {@link Scope#SPAWN} settings may differ per actor ({@link Spawn#setting})
     * and, on the arbiter, change at run time for later spawns; {@link Scope#LIVE} settings may
     * also change on a running actor ({@code config set}).
     */
    public static Scope scope(String name) {
        return definition(name, null).scope;
    }

    /** When a setting may change; see {@link #scope(String)}. */
    public enum Scope {
        /** Fixed while the arbiter runs; the same for every actor. */
        PROCESS,
        /** Per actor at spawn; on the arbiter it changes at run time for later spawns. */
        SPAWN,
        /** Per actor at spawn, and changeable at run time on any actor. */
        LIVE,
        /** Per application; changeable at run time on the application ({@code config set} on it). */
        APPLICATION
    }

    private enum Type { TEXT, INT, BOOLEAN, DURATION }

    /** One setting, declared once: name, type, scope, meaning, how to read and to set it. */
    private record Definition(String name, Type type, Scope scope, String description,
                              java.util.function.Function<Settings, Object> getter,
                              java.util.function.BiFunction<Settings, Object, Settings> setter) {
        Object show(Settings s) {
            Object v = getter.apply(s);
            if (v instanceof Duration d) {
                return d.toMillis() / 1000.0;
            }
            if (v instanceof Integer i) {
                return (long) i;
            }
            return v == null ? "" : v;
        }

        Settings parse(Settings s, String text) {
            Object v = switch (type) {
                case TEXT -> text;
                case INT -> parseInt(name, text);
                case BOOLEAN -> parseBoolean(name, text);
                case DURATION -> parseDuration(name, text);
            };
            return setter.apply(s, v);
        }
    }

    private static Definition definition(String name, Object value) {
        Definition d = name == null ? null : REGISTRY.get(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown setting '" + name + "'" + (value == null ? "" : " (value '" + value + "')")
                    + "; known settings: " + String.join(", ", REGISTRY.keySet()));
        }
        return d;
    }

    private static final Map<String, Definition> REGISTRY = new LinkedHashMap<>();

    private static void declare(String name, Type type, Scope scope, String description,
                                java.util.function.Function<Settings, Object> getter,
                                java.util.function.BiFunction<Settings, Object, Settings> setter) {
        REGISTRY.put(name, new Definition(name, type, scope, description, getter, setter));
    }

    static {
        declare("mailbox_host", Type.TEXT, Scope.PROCESS, "host mailboxes listen on (loopback by default)",
                Settings::mailboxHost, (s, v) -> s.withMailboxHost((String) v));
        declare("bind", Type.TEXT, Scope.APPLICATION, "where an application's servers listen: HOST:PORT, :PORT, unix:PATH or a comma list",
                Settings::serverBind, (s, v) -> s.withServerBind((String) v));
        declare("arbiter_port", Type.INT, Scope.PROCESS, "the arbiter mailbox port, 0 for a free one",
                Settings::arbiterPort, (s, v) -> s.withArbiterPort((Integer) v));
        declare("max_bulk_length", Type.INT, Scope.PROCESS, "largest RESP bulk string a mailbox accepts, bytes",
                Settings::maxBulkLength, (s, v) -> s.withMaxBulkLength((Integer) v));
        declare("max_message_length", Type.INT, Scope.PROCESS, "largest request a mailbox reads, and reply or copy it makes, bytes",
                Settings::maxMessageLength, (s, v) -> s.withMaxMessageLength((Integer) v));
        declare("max_unauthenticated_length", Type.INT, Scope.PROCESS, "largest request a mailbox buffers before AUTH, bytes",
                Settings::maxUnauthenticatedLength, (s, v) -> s.withMaxUnauthenticatedLength((Integer) v));
        declare("auth_timeout", Type.DURATION, Scope.PROCESS, "a mailbox connection not authenticated within it is closed",
                Settings::authTimeout, (s, v) -> s.withAuthTimeout((Duration) v));
        declare("mailbox_max_connections", Type.INT, Scope.PROCESS, "most open connections per mailbox",
                Settings::mailboxMaxConnections, (s, v) -> s.withMailboxMaxConnections((Integer) v));
        declare("serialization_allow", Type.TEXT, Scope.PROCESS, "JDK filter patterns of the classes a mailbox may deserialize",
                Settings::serializationAllow, (s, v) -> s.withSerializationAllow((String) v));
        declare("timeout", Type.DURATION, Scope.LIVE, "an actor that does not notify its manager within it is stopped",
                Settings::timeout, (s, v) -> s.withTimeout((Duration) v));
        declare("handshake_timeout", Type.DURATION, Scope.SPAWN, "how long a spawn waits for the actor's handshake and onStart",
                Settings::handshakeTimeout, (s, v) -> s.withHandshakeTimeout((Duration) v));
        declare("stop_grace", Type.DURATION, Scope.LIVE, "how long a stopping actor gets before it is killed",
                Settings::stopGrace, (s, v) -> s.withStopGrace((Duration) v));
        declare("secret_file", Type.TEXT, Scope.PROCESS, "file holding the mailbox secret",
                Settings::secretFile, (s, v) -> s.withSecretFile((String) v));
        declare("spare_processes", Type.INT, Scope.SPAWN, "warm child JVMs kept ready for process spawns",
                Settings::spareProcesses, (s, v) -> s.withSpareProcesses((Integer) v));
        declare("jvm_options", Type.TEXT, Scope.SPAWN, "JVM options of child JVMs",
                Settings::jvmOptions, (s, v) -> s.withJvmOptions((String) v));
        declare("workers", Type.INT, Scope.APPLICATION, "how many workers an application keeps alive",
                Settings::workers, (s, v) -> s.withWorkers((Integer) v));
        declare("backlog", Type.INT, Scope.APPLICATION, "listen backlog of an application's servers",
                Settings::backlog, (s, v) -> s.withBacklog((Integer) v));
        declare("keep_alive", Type.DURATION, Scope.APPLICATION, "a server connection silent for this long is closed",
                Settings::keepAlive, (s, v) -> s.withKeepAlive((Duration) v));
        declare("max_connections", Type.INT, Scope.APPLICATION, "most open connections per worker of a server",
                Settings::maxConnections, (s, v) -> s.withMaxConnections((Integer) v));
        declare("key_file", Type.TEXT, Scope.APPLICATION, "PEM private key for TLS (with cert_file)",
                Settings::keyFile, (s, v) -> s.copy(c -> c.keyFile = (String) v));
        declare("cert_file", Type.TEXT, Scope.APPLICATION, "PEM certificate for TLS (with key_file)",
                Settings::certFile, (s, v) -> s.copy(c -> c.certFile = (String) v));
        declare("concurrency", Type.TEXT, Scope.APPLICATION, "what an application's workers are: process or thread",
                s -> s.workerConcurrency, (s, v) -> s.copy(c -> c.workerConcurrency = (String) v));
        declare("graceful_timeout", Type.DURATION, Scope.APPLICATION, "how long stopping workers get to finish what is in flight",
                Settings::gracefulTimeout, (s, v) -> s.withGracefulTimeout((Duration) v));
        declare("max_requests", Type.INT, Scope.APPLICATION, "a worker is retired after this many requests (0: never)",
                Settings::maxRequests, (s, v) -> s.withMaxRequests((Integer) v));
        declare("max_requests_jitter", Type.INT, Scope.APPLICATION, "largest random number added to max_requests per worker",
                Settings::maxRequestsJitter, (s, v) -> s.withMaxRequestsJitter((Integer) v));
        declare("crash_loop_failures", Type.INT, Scope.APPLICATION, "workers failing to start within crash_loop_window that stop the application",
                Settings::crashLoopFailures, (s, v) -> s.withCrashLoopFailures((Integer) v));
        declare("crash_loop_window", Type.DURATION, Scope.APPLICATION, "the window of the crash-loop brake",
                Settings::crashLoopWindow, (s, v) -> s.withCrashLoopWindow((Duration) v));
        declare("reuse_port", Type.BOOLEAN, Scope.APPLICATION,
                "true: each worker binds with SO_REUSEPORT; false: workers share the listening sockets of the monitor",
                Settings::reusePort, (s, v) -> s.withReusePort((Boolean) v));
        declare("max_request_line", Type.INT, Scope.APPLICATION, "longest HTTP request line, bytes (longer: 414)",
                Settings::maxRequestLine, (s, v) -> s.copy(c -> c.maxRequestLine = (Integer) v));
        declare("max_header_size", Type.INT, Scope.APPLICATION, "most bytes of HTTP headers in a request (more: 431)",
                Settings::maxHeaderSize, (s, v) -> s.copy(c -> c.maxHeaderSize = (Integer) v));
        declare("max_headers", Type.INT, Scope.APPLICATION, "most HTTP header fields in a request (more: 431)",
                Settings::maxHeaders, (s, v) -> s.copy(c -> c.maxHeaders = (Integer) v));
        declare("max_body_size", Type.INT, Scope.APPLICATION, "largest HTTP request body, bytes (larger: 413)",
                Settings::maxBodySize, (s, v) -> s.copy(c -> c.maxBodySize = (Integer) v));
        declare("header_timeout", Type.DURATION, Scope.APPLICATION, "time a client has to send an HTTP request's line and headers",
                Settings::headerTimeout, (s, v) -> s.copy(c -> c.headerTimeout = (Duration) v));
        declare("max_blocking", Type.INT, Scope.APPLICATION, "most blocking-route calls in flight per HTTP worker",
                Settings::maxBlocking, (s, v) -> s.copy(c -> c.maxBlocking = (Integer) v));
        declare("max_frame_size", Type.INT, Scope.APPLICATION, "largest WebSocket message, bytes (larger: close 1009)",
                Settings::maxFrameSize, (s, v) -> s.copy(c -> c.maxFrameSize = (Integer) v));
        declare("body_timeout", Type.DURATION, Scope.APPLICATION, "time a client has to send an HTTP request's whole body, from its head (then 408)",
                Settings::bodyTimeout, (s, v) -> s.copy(c -> c.bodyTimeout = (Duration) v));
        declare("queue", Type.TEXT, Scope.APPLICATION, "task queue URL: embedded: (in the arbiter) or redis://host:port/db",
                Settings::queue, (s, v) -> s.copy(c -> c.queue = (String) v));
        declare("tasks", Type.INT, Scope.APPLICATION, "tasks the taskqueue example submits and checks, then stops (0: serve)",
                Settings::tasks, (s, v) -> s.copy(c -> c.tasks = (Integer) v));
        declare("task_batch", Type.INT, Scope.APPLICATION, "tasks a task-queue worker fetches at once (1 to 1000)",
                Settings::taskBatch, (s, v) -> s.copy(c -> c.taskBatch = (Integer) v));
        declare("access_log", Type.BOOLEAN, Scope.APPLICATION, "true: HTTP servers log one line per request (logger pulsar.http.access, INFO)",
                Settings::accessLog, (s, v) -> s.copy(c -> c.accessLog = (Boolean) v));
        declare("compress", Type.TEXT, Scope.APPLICATION, "on or off: gzip/deflate HTTP responses for clients that accept it",
                s -> s.compress, (s, v) -> s.copy(c -> c.compress = (String) v));
        declare("log_level", Type.TEXT, Scope.PROCESS, "the log level of pulsar run's process: trace, debug, info, warn, error or off",
                Settings::logLevel, (s, v) -> s.copy(c -> c.logLevel = (String) v));
        declare("pid_file", Type.TEXT, Scope.PROCESS, "a file pulsar run writes its pid to, and removes when it exits",
                Settings::pidFile, (s, v) -> s.copy(c -> c.pidFile = (String) v));
        declare("aot_cache", Type.TEXT, Scope.PROCESS, "auto, off or a JDK 25 AOT cache path for child JVMs",
                Settings::aotCache, (s, v) -> s.withAotCache((String) v));
    }

    static Path defaultSecretPath() {
        return Path.of(System.getProperty("user.home"), ".pulsar", "secret");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && toMap().equals(s.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "Settings" + toMap();
    }
}
