package pulsar.impl.loop;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/** The interest bits of addReader ({@link #READ}) and addWriter ({@link #WRITE}), and their NIO ops. */
final class Interest {
    static final int READ = 1;
    static final int WRITE = 2;

    private Interest() {
    }

    /** "reader" or "writer". */
    static String name(int kind) {
        return kind == READ ? "reader" : "writer";
    }

    /** NIO interest ops of {@code channel} for the bits: read or accept, write or connect. */
    static int nioOps(SelectableChannel channel, int bits) {
        int valid = channel.validOps();
        int ops = 0;
        if ((bits & READ) != 0) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((bits & WRITE) != 0) {
            ops |= valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return ops;
    }

    /** The bits of NIO ready ops. */
    static int fromNio(int readyOps) {
        return ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? READ : 0)
                | ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 ? WRITE : 0);
    }
}
