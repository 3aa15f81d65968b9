package pulsar.impl.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Frames encoded one after another between two flushes of a connection: replies of a mailbox
 * connection, requests of a client. They are encoded into one heap buffer and copied in one go
 * into a direct buffer when the batch is written, so a batch costs one direct buffer, one
 * outbound entry and one write however many frames it holds. The heap buffer is kept for the
 * next batch unless it grew past {@link #KEEP} bytes (a burst), so an idle connection holds at
 * most that much. Encoding into heap memory is
 * cheaper than into a direct buffer on JDK 24+, where Netty does not use {@code sun.misc.Unsafe}
 * by default and every byte written to a direct buffer goes through a {@code ByteBuffer} with
 * its checks. Confined to the connection's loop.
 */
final class OutBatch {
    /** A batch this large is written before the flush (see {@link #full()}), so none grows without bound. */
    static final int BATCH_BYTES = 64 * 1024;
    private static final int INITIAL = 512;
    static final int KEEP = 4096;

    /** The buffer kept between batches: unpooled (a kept buffer must not pin a pool chunk), at most {@link #KEEP} bytes. */
    private ByteBuf small;
    /** The buffer of the batch being encoded: {@link #small}, or a pooled one when the last batch was larger. */
    private ByteBuf scratch;
    /** The size of the last batch written: a burst is likely followed by another as large. */
    private int lastBatch;

    /** The buffer to encode the next frame into, after those already there. */
    ByteBuf buffer(ByteBufAllocator alloc) {
        ByteBuf b = scratch;
        if (b == null) {
            if (lastBatch > KEEP) {
                b = alloc.heapBuffer(lastBatch + (lastBatch >> 2));
            } else {
                if (small == null) {
                    small = Unpooled.buffer(INITIAL);
                }
                b = small;
            }
            scratch = b;
        }
        return b;
    }

    boolean isEmpty() {
        return scratch == null || !scratch.isReadable();
    }

    /** Whether the batch should be written now, before the flush, to stay bounded. */
    boolean full() {
        return scratch != null && scratch.readableBytes() >= BATCH_BYTES;
    }

    /**
     * What was encoded, as a new direct buffer for the channel to write (null when nothing was);
     * the batch is empty afterwards.
     */
    ByteBuf take(ByteBufAllocator alloc) {
        ByteBuf b = scratch;
        if (b == null || !b.isReadable()) {
            return null;
        }
        scratch = null;
        lastBatch = b.readableBytes();
        ByteBuf out = alloc.directBuffer(lastBatch);
        out.writeBytes(b);
        if (b != small) {
            b.release();
        } else if (b.capacity() > KEEP) {
            small = null;
            b.release();
        } else {
            b.clear();
        }
        return out;
    }

    /** Drops what was encoded and frees the buffer (the connection closed). */
    void release() {
        ByteBuf b = scratch;
        scratch = null;
        if (b != null && b != small) {
            b.release();
        }
        if (small != null) {
            small.release();
            small = null;
        }
    }
}
