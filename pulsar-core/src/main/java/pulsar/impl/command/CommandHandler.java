package pulsar.impl.command;

/** A command's implementation; runs on the target actor's loop. */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @return the reply, or a {@link java.util.concurrent.CompletionStage} of it
     * @throws Exception to answer with an error
     */
    Object execute(CommandContext context) throws Exception;
}
