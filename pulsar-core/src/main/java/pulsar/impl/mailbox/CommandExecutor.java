package pulsar.impl.mailbox;

import java.util.List;

/** What a mailbox serves: an actor that runs commands on its loop. */
public interface CommandExecutor {
    /**
     * Runs a command on the calling (loop) thread.
     *
     * @param name the command name, lower case
     * @param args the decoded arguments
     * @param protocol the caller's RESP version (2 or 3), for replies whose shape depends on it
     * @return the reply value, or a {@link java.util.concurrent.CompletionStage} of it
     * @throws Exception to answer with an error
     */
    Object execute(String name, List<Object> args, int protocol) throws Exception;
}
