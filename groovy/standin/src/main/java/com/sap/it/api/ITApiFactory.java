package com.sap.it.api;

import com.sap.it.api.exception.InvalidContextException;
import s4amz.cpi.runtime.ApiRegistry;

/**
 * Entry point to the runtime's public services (value mappings, secure store, keystore). The
 * stand-in resolves them from the test data of the script call running on the current thread.
 */
public final class ITApiFactory {
    private ITApiFactory() {
    }

    /**
     * Deprecated in SAP's API (it returns a service); kept because SAP's own samples still use it.
     */
    @Deprecated
    public static <T extends ITApi> T getApi(Class<? extends ITApi> apiType, Object context)
            throws InvalidContextException {
        return getService(apiType, context);
    }

    public static <T extends ITApi> T getService(Class<? extends ITApi> apiType, Object context)
            throws InvalidContextException {
        return ApiRegistry.lookup(apiType);
    }
}
