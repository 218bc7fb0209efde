package s4amz.cpi.runtime;

/** The runtime services one script call sees: value mappings, secure store, keystore. */
public final class CallServices {
    private final ValueMappingStore valueMappings;
    private final InMemorySecureStore secureStore;
    private final EmptyKeystore keystore = new EmptyKeystore();

    public CallServices(ValueMappingStore valueMappings, InMemorySecureStore secureStore) {
        this.valueMappings = valueMappings;
        this.secureStore = secureStore;
    }

    public ValueMappingStore valueMappings() {
        return valueMappings;
    }

    public InMemorySecureStore secureStore() {
        return secureStore;
    }

    public EmptyKeystore keystore() {
        return keystore;
    }
}
