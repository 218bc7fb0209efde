package com.sap.it.api.mapping;

import com.sap.it.api.ITApi;

/** Reads the tenant's deployed value mappings. */
public interface ValueMappingApi extends ITApi {
    /** The mapped value, or {@code null} when no mapping exists. */
    String getMappedValue(String sourceAgency, String sourceIdentifier, String sourceValue,
            String targetAgency, String targetIdentifier);
}
