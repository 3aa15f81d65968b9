package pulsar.impl.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes decimal longs straight into a ByteBuf, so integer replies and length headers allocate nothing. */
final class AsciiDigits {
    // Small values dominate (lengths, counts, small integers); their digits are pre-encoded.
    private static final int CACHED = 1024;
    private static final byte[][] SMALL = new byte[CACHED][];
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < CACHED; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private AsciiDigits() {
    }

    static void write(ByteBuf out, long value) {
        if (value >= 0 && value < CACHED) {
            out.writeBytes(SMALL[(int) value]);
            return;
        }
        if (value == Long.MIN_VALUE) {
            // Its magnitude does not fit in a long.
            out.writeBytes(MIN_LONG);
            return;
        }
        boolean negative = value < 0;
        long v = negative ? -value : value;
        int length = digits(v) + (negative ? 1 : 0);
        out.ensureWritable(length);
        int start = out.writerIndex();
        if (out.hasArray()) {
            // Straight into the array: no bounds and access checks per digit.
            byte[] a = out.array();
            int first = out.arrayOffset() + start;
            if (negative) {
                a[first] = '-';
            }
            int at = first + length - 1;
            do {
                long q = v / 10;
                a[at--] = (byte) ('0' + (v - q * 10));
                v = q;
            } while (v != 0);
            out.writerIndex(start + length);
            return;
        }
        if (negative) {
            out.setByte(start, '-');
        }
        int pos = start + length - 1;
        do {
            out.setByte(pos--, (int) ('0' + v % 10));
            v /= 10;
        } while (v != 0);
        out.writerIndex(start + length);
    }

    /**
     * Writes {@code value} into {@code a} from {@code at}, which must have room for 20 bytes;
     * returns the index after the last digit.
     */
    static int put(byte[] a, int at, long value) {
        if (value >= 0 && value < CACHED) {
            byte[] d = SMALL[(int) value];
            System.arraycopy(d, 0, a, at, d.length);
            return at + d.length;
        }
        if (value == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, a, at, MIN_LONG.length);
            return at + MIN_LONG.length;
        }
        boolean negative = value < 0;
        long v = negative ? -value : value;
        int length = digits(v) + (negative ? 1 : 0);
        if (negative) {
            a[at] = '-';
        }
        int pos = at + length - 1;
        do {
            long q = v / 10;
            a[pos--] = (byte) ('0' + (v - q * 10));
            v = q;
        } while (v != 0);
        return at + length;
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
