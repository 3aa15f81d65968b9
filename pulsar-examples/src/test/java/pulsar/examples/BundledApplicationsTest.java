package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import pulsar.app.Application;

/** The HTTP examples are services of pulsar.app.Application, which is how {@code ./pulsar run NAME} finds them. */
class BundledApplicationsTest {
    @Test
    void serviceLoader_findsEveryHttpExampleByName() {
        assertThat(ServiceLoader.load(Application.class).stream().map(p -> p.get().name()).toList())
                .contains("helloworld", "calculator", "chat");
    }
}
