"""Mock endpoints that enforce the real contracts: one package per service, like moto.

Each service package (``lwa``, ``bwp``, ``spapi``, ``s4hana``, ``s4hana_soap``) has ``models.py``
(state and behaviour, no HTTP), ``responses.py`` (the wire format), ``urls.py`` (routes),
``exceptions.py`` (the service's own errors) and exposes ``create(settings) -> MockService``.
The shared mechanics (request journal, fault injection, control endpoints, serving) are in
:mod:`harness.mocks.core`.
"""
