package pulsar.impl.mailbox;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.impl.resp.RespError;
import pulsar.impl.serial.RejectedClassException;

/** Maps failures to RESP errors and back, the same for the socket and the in-JVM path. */
public final class Failures {
    private Failures() {
    }

    /** The failure behind wrappers such as {@link CompletionException}. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The RESP error a command's failure is answered with. */
    public static RespError toRespError(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof PulsarException p) {
            return new RespError(p.toRespError());
        }
        if (t instanceof RejectedClassException r) {
            return new RespError(FailureKind.REJECTED_CLASS.respPrefix() + " " + r.getMessage());
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof IllegalArgumentException) {
            return new RespError("ERR " + message);
        }
        return new RespError("ERR " + t.getClass().getName() + (message.isEmpty() ? "" : ": " + message));
    }

    /** The exception a caller's future fails with for a RESP error reply. */
    public static PulsarException fromRespError(RespError error) {
        return new PulsarException(FailureKind.ofRespError(error.message()), error.message());
    }

    /** The failure of a command no actor knows. */
    public static PulsarException unknownCommand(String name) {
        return new PulsarException(FailureKind.UNKNOWN_COMMAND, "ERR unknown command '" + name + "'");
    }

    /** The failure of calls whose connection closed. */
    public static PulsarException connectionLost(String what) {
        return new PulsarException(FailureKind.CONNECTION_LOST, "CONNLOST " + what);
    }
}
