package pulsar.impl.arbiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NewAidTest {
    @Test
    void aidsAreEightHexDigits_andNeverRepeatInAJvm_evenByTheHundredThousand() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300_000; i++) {
            String aid = ArbiterImpl.newAid();
            assertThat(aid).matches("[0-9a-f]{8}");
            assertThat(seen.add(aid)).as("aid %s repeated after %d", aid, i).isTrue();
        }
    }
}
