package pulsar.impl.serial;

import java.io.ObjectInputFilter;

/**
 * The filter for one decode: graph limits, the deny-list and, in strict mode, the allow-list.
 * One instance per stream because it remembers why it rejected, which the JDK's
 * {@code InvalidClassException("filter status: REJECTED")} does not say.
 */
final class StreamFilter implements ObjectInputFilter {
    /** Nesting of objects inside objects; real messages stay far below, linked chains do not. */
    static final int MAX_DEPTH = 64;
    static final long MAX_REFERENCES = 1_000_000;
    static final long MAX_STREAM_BYTES = 64L * 1024 * 1024;
    static final long MAX_ARRAY_LENGTH = 16L * 1024 * 1024;

    private final DenyList deny;
    private final AllowList allow;
    private final long maxArrayLength;
    private RuntimeException failure;

    /**
     * @param allow         null in deny-list mode
     * @param payloadLength bytes in the stream; bounds declared array lengths (see {@link #arrayLimit})
     */
    StreamFilter(DenyList deny, AllowList allow, int payloadLength) {
        this.deny = deny;
        this.allow = allow;
        this.maxArrayLength = arrayLimit(payloadLength);
    }

    /**
     * Every element of a legitimate array, and every slot of a legitimately sized hash table,
     * costs at least about a byte of stream; a larger declared length is an allocation attack.
     */
    static long arrayLimit(int payloadLength) {
        return Math.min(MAX_ARRAY_LENGTH, 4096L + 8L * payloadLength);
    }

    /** Why the stream was rejected, or null if the filter did not reject it. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        String limit = exceededLimit(info);
        if (limit != null) {
            failure = new IllegalArgumentException("cannot decode object: " + limit);
            return Status.REJECTED;
        }
        if (allow != null && allow.check(new WithoutClass(info)) == Status.REJECTED) {
            failure = new IllegalArgumentException("cannot decode object: over a limit set in the "
                    + "serialization_allow setting (now: " + allow.patterns() + ")");
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        return type == null ? Status.UNDECIDED : checkClass(type, info);
    }

    private String exceededLimit(FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return "object graph nested deeper than " + MAX_DEPTH
                    + " levels (send long chains as lists instead of linked objects)";
        }
        if (info.references() > MAX_REFERENCES) {
            return "more than " + MAX_REFERENCES + " objects";
        }
        if (info.streamBytes() > MAX_STREAM_BYTES) {
            return "stream longer than " + MAX_STREAM_BYTES + " bytes";
        }
        if (info.arrayLength() > maxArrayLength) {
            return "array length " + info.arrayLength() + " exceeds limit " + maxArrayLength;
        }
        return null;
    }

    private Status checkClass(Class<?> type, FilterInfo info) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive()) {
            return Status.ALLOWED;
        }
        if (!checkName(element.getName())) {
            return Status.REJECTED;
        }
        if (allow == null) {
            return Status.ALLOWED;
        }
        Status user = allow.check(info);
        if (user == Status.ALLOWED || user != Status.REJECTED && AllowList.frameworkType(element)) {
            return Status.ALLOWED;
        }
        failure = new RejectedClassException(element.getName(), "class " + element.getName()
                + " is not allowed to be deserialized: add a pattern matching it to the serialization_allow"
                + " setting (now: " + allow.patterns() + ")");
        return Status.REJECTED;
    }

    /** The deny-list check by name, done before a class is loaded; records the rejection and returns false. */
    boolean checkName(String className) {
        if (!deny.denies(className)) {
            return true;
        }
        String name = DenyList.elementName(className);
        failure = new RejectedClassException(name, "class " + name
                + " is not allowed to be deserialized (deny-listed gadget class); "
                + (allow == null
                        ? "to allow application classes strictly, list them in the serialization_allow setting"
                        : "it stays refused even when a serialization_allow pattern matches it"));
        return false;
    }

    /** The same stream position without a class, so the user's filter judges only its limits. */
    private record WithoutClass(FilterInfo info) implements FilterInfo {
        @Override
        public Class<?> serialClass() {
            return null;
        }

        @Override
        public long arrayLength() {
            return info.arrayLength();
        }

        @Override
        public long depth() {
            return info.depth();
        }

        @Override
        public long references() {
            return info.references();
        }

        @Override
        public long streamBytes() {
            return info.streamBytes();
        }
    }
}
