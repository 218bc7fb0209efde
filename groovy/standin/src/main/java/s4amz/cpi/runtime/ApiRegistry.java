package s4amz.cpi.runtime;

import com.sap.it.api.ITApi;
import com.sap.it.api.exception.InvalidContextException;
import com.sap.it.api.keystore.KeystoreService;
import com.sap.it.api.mapping.ValueMappingApi;
import com.sap.it.api.securestore.SecureStoreService;

/**
 * Resolves {@code ITApiFactory} lookups to the services of the script call running on this thread.
 * The host binds them before it calls the script and unbinds them afterwards.
 */
public final class ApiRegistry {
    private static final ThreadLocal<CallServices> CURRENT = new ThreadLocal<>();

    private ApiRegistry() {
    }

    public static void bind(CallServices services) {
        CURRENT.set(services);
    }

    public static void unbind() {
        CURRENT.remove();
    }

    @SuppressWarnings("unchecked")
    public static <T extends ITApi> T lookup(Class<? extends ITApi> apiType) throws InvalidContextException {
        CallServices services = CURRENT.get();
        if (apiType == null) {
            throw new InvalidContextException("no API type given");
        }
        if (services == null) {
            throw new InvalidContextException("no runtime context on this thread for " + apiType.getName());
        }
        if (apiType == ValueMappingApi.class) {
            return (T) services.valueMappings();
        }
        if (apiType == SecureStoreService.class) {
            return (T) services.secureStore();
        }
        if (apiType == KeystoreService.class) {
            return (T) services.keystore();
        }
        throw new InvalidContextException("no handler found for API type " + apiType.getName());
    }
}
