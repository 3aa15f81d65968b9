package pulsar.redis.impl;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The backend's Lua scripts, each {@code common.lua} followed by its own file: called with
 * {@code EVALSHA}, and with {@code EVAL} (which caches it again) when the server answers
 * {@code NOSCRIPT} (after a restart).
 */
final class Scripts {
    static final String ENQUEUE = "enqueue";
    static final String FETCH = "fetch";
    static final String ACK = "ack";
    static final String FAIL = "fail";
    static final String CANCEL = "cancel";
    static final String RELEASE = "release";
    static final String JANITOR = "janitor";
    static final String STATS = "stats";

    private static final String[] NO_KEYS = new String[0];
    private static final String COMMON = read("common");

    private final String name;
    private final String body;
    private final String sha;

    private Scripts(String name) {
        this.name = name;
        this.body = COMMON + "\n" + read(name);
        this.sha = sha1(body);
    }

    static Scripts of(String name) {
        return new Scripts(name);
    }

    String name() {
        return name;
    }

    /** Runs the script with {@code args} (the common four first); the reply as Lettuce gives it. */
    <T> CompletableFuture<T> call(RedisAsyncCommands<String, String> redis, String... args) {
        CompletableFuture<T> first = redis.<T>evalsha(sha, ScriptOutputType.MULTI, NO_KEYS, args).toCompletableFuture();
        return first.handle((v, t) -> {
            if (t == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof RedisNoScriptException || String.valueOf(cause.getMessage()).startsWith("NOSCRIPT")) {
                return redis.<T>eval(body, ScriptOutputType.MULTI, NO_KEYS, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private static String read(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("pulsar-redis: script " + name + ".lua is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
