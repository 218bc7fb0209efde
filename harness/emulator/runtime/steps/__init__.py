"""One processor class per step type; importing this package registers them all."""

from . import (  # noqa: F401  (registration side effects)
    calls,
    content_modifier,
    converters,
    datastore,
    encoders,
    mapping,
    script,
    splitting,
    structure,
)
from .base import Step

__all__ = ["Step"]
