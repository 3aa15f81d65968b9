package pulsar.impl.resp;

import java.util.List;
import java.util.Objects;

/**
 * A RESP3 out-of-band push ({@code >n}); written as a plain array under RESP2.
 *
 * @param values the elements, which may include {@code null}
 */
public record RespPush(List<Object> values) {

    /** Keeps the list as given (no copy) because pushes may hold nulls, which {@code List.copyOf} rejects. */
    public RespPush {
        Objects.requireNonNull(values, "values");
    }
}
