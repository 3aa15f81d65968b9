package pulsar.impl.serial;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The strict allow-list: the user's {@code serialization_allow} patterns plus the types the
 * framework itself always needs. Patterns use the JDK {@link ObjectInputFilter.Config#createFilter}
 * syntax; they are checked here first because the JDK parser accepts nonsense such as spaces or
 * a wildcard in the middle, which would then silently never match.
 */
final class AllowList {
    private static final String ID = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
    private static final String DOTTED = ID + "(?:\\." + ID + ")*";
    private static final Pattern CLASS_PATTERN =
            Pattern.compile("!?(?:" + DOTTED + "/)?(?:\\*|" + DOTTED + "(?:\\.\\*\\*|\\.\\*|\\*)?)");
    private static final Pattern LIMIT = Pattern.compile("(?:maxdepth|maxrefs|maxbytes|maxarray)=\\d{1,18}");

    private final String patterns;
    private final ObjectInputFilter filter;

    private AllowList(String patterns, ObjectInputFilter filter) {
        this.patterns = patterns;
        this.filter = filter;
    }

    /** Validates and normalises {@code ;}-separated patterns (blanks and empty entries dropped). */
    static AllowList parse(String setting) {
        if (setting == null || setting.isBlank()) {
            throw invalid(setting, "it is empty; list packages such as com.acme.**");
        }
        List<String> kept = new ArrayList<>();
        for (String raw : setting.split(";")) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (!CLASS_PATTERN.matcher(p).matches() && !LIMIT.matcher(p).matches()) {
                throw invalid(setting, "bad pattern '" + p + "' (expected e.g. com.acme.**, com.acme.*, "
                        + "com.acme.Order or !com.acme.Secret)");
            }
            kept.add(p);
        }
        if (kept.isEmpty()) {
            throw invalid(setting, "it has no patterns; list packages such as com.acme.**");
        }
        String normalised = String.join(";", kept);
        try {
            return new AllowList(normalised, ObjectInputFilter.Config.createFilter(normalised));
        } catch (IllegalArgumentException e) {
            throw invalid(setting, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String setting, String why) {
        return new IllegalArgumentException("invalid serialization_allow setting '" + setting + "': " + why);
    }

    String patterns() {
        return patterns;
    }

    /** The user's verdict: ALLOWED if a pattern matches, REJECTED by a {@code !} pattern or limit, else UNDECIDED. */
    ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
        ObjectInputFilter.Status status = filter.checkInput(info);
        return status == null ? ObjectInputFilter.Status.UNDECIDED : status;
    }

    /**
     * Types the framework sends on its own: {@code java.lang.*} (boxes, String, Number, Enum,
     * exceptions), {@code java.lang.invoke.SerializedLambda}, {@code java.util.*} and
     * {@code java.util.concurrent.**} collections (immutable ones travel as {@code java.util.CollSer}),
     * {@code java.time.**}, {@code java.math.*}, {@code pulsar.**}, and arrays of these or of primitives.
     */
    static boolean frameworkType(Class<?> type) {
        Class<?> c = type;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return true;
        }
        String pkg = c.getPackageName();
        return pkg.equals("java.lang")
                || c.getName().equals("java.lang.invoke.SerializedLambda")
                || pkg.equals("java.util")
                || pkg.equals("java.util.concurrent") || pkg.startsWith("java.util.concurrent.")
                || pkg.equals("java.time") || pkg.startsWith("java.time.")
                || pkg.equals("java.math")
                || pkg.equals("pulsar") || pkg.startsWith("pulsar.");
    }
}
