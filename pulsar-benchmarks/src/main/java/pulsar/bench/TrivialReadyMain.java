package pulsar.bench;

/**
 * Reference of benchmark 5: a Java main that only reports ready (one line on standard output),
 * then waits until standard input closes.
 */
public final class TrivialReadyMain {
    private TrivialReadyMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
    }
}
