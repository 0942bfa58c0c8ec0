package dev.kindling.tensor;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pools every op output for one test (the global pool's minBytes set to 0, restored afterwards),
 * so that whether a small tensor's storage was released is observable. Use with
 * {@code @ExtendWith(PoolEveryOutput.class)}.
 */
public final class PoolEveryOutput implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PoolEveryOutput.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("minBytes", BufferPool.global().minBytes());
        BufferPool.global().setMinBytes(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        BufferPool.global().setMinBytes(context.getStore(NS).get("minBytes", Long.class));
    }
}
