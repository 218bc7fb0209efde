"""Fixtures for the Amazon mocks' tests; the helpers live in amazon_support.py."""

from amazon_support import (  # noqa: F401 - fixtures are registered by name
    _lwa_server,
    _spapi_server,
    _bwp_server,
    lwa_mock,
    spapi_mock,
    bwp_mock,
    access_token,
    sp,
    receiver,
    bwp_token,
    gql,
)
