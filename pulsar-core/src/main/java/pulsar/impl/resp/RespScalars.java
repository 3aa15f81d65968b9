package pulsar.impl.resp;

import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Parses the scalar content of a RESP line in place, without copying it to a String first where avoidable. */
final class RespScalars {
    private static final int SHOWN = 40;

    private RespScalars() {
    }

    /** Parses {@code [+|-]digits} in {@code [start, end)}; anything else, or overflow, is a protocol error. */
    static long parseLong(ByteBuf in, int start, int end, String what) {
        if (in.hasArray()) {
            return parseLong(in.array(), in.arrayOffset(), in, start, end, what);
        }
        int i = start;
        boolean negative = false;
        if (i < end) {
            byte sign = in.getByte(i);
            if (sign == '-' || sign == '+') {
                negative = sign == '-';
                i++;
            }
        }
        if (i == end) {
            throw malformed(in, start, end, what);
        }
        // Accumulate negatively, as Long.parseLong does, so Long.MIN_VALUE parses without overflow.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multMin = limit / 10;
        long result = 0;
        for (; i < end; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9 || result < multMin) {
                throw malformed(in, start, end, what);
            }
            result *= 10;
            if (result < limit + digit) {
                throw malformed(in, start, end, what);
            }
            result -= digit;
        }
        return negative ? result : -result;
    }

    /** {@link #parseLong(ByteBuf, int, int, String)} reading the buffer's array, whose index 0 is at {@code base}. */
    private static long parseLong(byte[] a, int base, ByteBuf in, int start, int end, String what) {
        int i = start;
        boolean negative = false;
        if (i < end) {
            byte sign = a[base + i];
            if (sign == '-' || sign == '+') {
                negative = sign == '-';
                i++;
            }
        }
        if (i == end) {
            throw malformed(in, start, end, what);
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multMin = limit / 10;
        long result = 0;
        for (; i < end; i++) {
            int digit = a[base + i] - '0';
            if (digit < 0 || digit > 9 || result < multMin) {
                throw malformed(in, start, end, what);
            }
            result *= 10;
            if (result < limit + digit) {
                throw malformed(in, start, end, what);
            }
            result -= digit;
        }
        return negative ? result : -result;
    }

    /** Parses a RESP3 double: {@code inf}, {@code -inf}, {@code nan} or a decimal with optional exponent. */
    static double parseDouble(ByteBuf in, int start, int end) {
        String text = in.toString(start, end - start, StandardCharsets.US_ASCII);
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "-nan" -> {
                return Double.NaN;
            }
            default -> { }
        }
        // Double.parseDouble also takes hex, "Infinity" and type suffixes; RESP does not.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                throw malformed(in, start, end, "double");
            }
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw malformed(in, start, end, "double");
        }
    }

    /** Parses a RESP3 big number: an optionally signed run of decimal digits. */
    static BigInteger parseBigInteger(ByteBuf in, int start, int end) {
        String text = in.toString(start, end - start, StandardCharsets.US_ASCII);
        try {
            return new BigInteger(text);
        } catch (NumberFormatException e) {
            throw malformed(in, start, end, "big number");
        }
    }

    static RespProtocolException malformed(ByteBuf in, int start, int end, String what) {
        int shown = Math.min(end - start, SHOWN);
        String text = in.toString(start, shown, StandardCharsets.UTF_8) + (shown < end - start ? "..." : "");
        return new RespProtocolException("invalid " + what + " '" + text + "'");
    }

    /** Describes a byte for an error message: {@code 'x' (0x78)}, or just the hex when unprintable. */
    static String describe(byte b) {
        String hex = String.format("0x%02x", b & 0xFF);
        return b >= 0x20 && b < 0x7F ? "'" + (char) b + "' (" + hex + ")" : hex;
    }
}
