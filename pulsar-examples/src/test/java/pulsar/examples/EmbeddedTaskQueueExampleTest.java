package pulsar.examples;

/** The task queue example's failure cases on the embedded queue (process workers reach it through the arbiter's mailbox). */
class EmbeddedTaskQueueExampleTest extends TaskQueueExampleCases {
    @Override
    String queueUrl() {
        return "embedded:";
    }
}
