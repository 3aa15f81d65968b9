package pulsar.impl.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;
import org.junit.jupiter.api.Test;

/** The limits that are too costly to reach with real streams in a unit test. */
class StreamFilterTest {

    private record Info(Class<?> serialClass, long arrayLength, long depth, long references, long streamBytes)
            implements ObjectInputFilter.FilterInfo { }

    private static StreamFilter filter() {
        return new StreamFilter(DenyList.GADGETS, null, 100);
    }

    @Test
    void tooManyReferencesIsRejected() {
        StreamFilter f = filter();
        assertThat(f.checkInput(new Info(null, -1, 1, StreamFilter.MAX_REFERENCES + 1, 10))).isEqualTo(Status.REJECTED);
        assertThat(f.failure()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 1000000 objects");
    }

    @Test
    void tooManyBytesIsRejected() {
        StreamFilter f = filter();
        assertThat(f.checkInput(new Info(null, -1, 1, 1, StreamFilter.MAX_STREAM_BYTES + 1))).isEqualTo(Status.REJECTED);
        assertThat(f.failure()).hasMessageContaining("stream longer than");
    }

    @Test
    void arrayLimitGrowsWithThePayloadUpToACap() {
        assertThat(StreamFilter.arrayLimit(0)).isEqualTo(4096);
        assertThat(StreamFilter.arrayLimit(1000)).isEqualTo(4096 + 8000);
        assertThat(StreamFilter.arrayLimit(Integer.MAX_VALUE)).isEqualTo(StreamFilter.MAX_ARRAY_LENGTH);
    }

    @Test
    void withinLimitsPrimitiveArraysAndUnknownCallsPass() {
        StreamFilter f = filter();
        assertThat(f.checkInput(new Info(null, -1, 1, 1, 10))).isEqualTo(Status.UNDECIDED);
        assertThat(f.checkInput(new Info(int[].class, 10, 1, 1, 10))).isEqualTo(Status.ALLOWED);
        assertThat(f.checkInput(new Info(String.class, -1, 64, 1, 10))).isEqualTo(Status.ALLOWED);
        assertThat(f.failure()).isNull();
    }

    @Test
    void frameworkTypesCoverWhatTheFrameworkSends() {
        assertThat(AllowList.frameworkType(Long.class)).isTrue();
        assertThat(AllowList.frameworkType(java.lang.invoke.SerializedLambda.class)).isTrue();
        assertThat(AllowList.frameworkType(java.util.List.of(1, 2, 3).getClass())).isTrue();
        assertThat(AllowList.frameworkType(java.time.LocalDate.class)).isTrue();
        assertThat(AllowList.frameworkType(java.math.BigDecimal[].class)).isTrue();
        assertThat(AllowList.frameworkType(long[][].class)).isTrue();
        assertThat(AllowList.frameworkType(StreamFilterTest.class)).isTrue(); // pulsar.**
        assertThat(AllowList.frameworkType(java.net.URI.class)).isFalse();
        assertThat(AllowList.frameworkType(java.lang.invoke.MethodHandle.class)).isFalse();
        assertThat(AllowList.frameworkType(javax.management.ObjectName.class)).isFalse();
    }
}
