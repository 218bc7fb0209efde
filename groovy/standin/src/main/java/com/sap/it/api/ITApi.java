package com.sap.it.api;

/** Marker for every public API that {@link ITApiFactory} hands out. */
public interface ITApi {
}
