"""The emulator's HTTP side: the OData API, the OAuth token endpoint, runtime endpoints."""
