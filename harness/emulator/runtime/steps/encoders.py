"""Base64 Encoder and Decoder."""

from __future__ import annotations

import base64
import binascii

from ..errors import ProcessingError
from ..registry import STEPS
from .base import Step


@STEPS.register("Base64 Encode")
class Base64Encode(Step):
    title = "Base64 Encoder"
    min_version = max_version = "1.0"

    def process(self, ex, ctx) -> None:
        ex.body = base64.b64encode(ex.body)


@STEPS.register("Base64 Decode")
class Base64Decode(Step):
    title = "Base64 Decoder"
    min_version = max_version = "1.0"

    def process(self, ex, ctx) -> None:
        try:
            ex.body = base64.b64decode(b"".join(ex.body.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ProcessingError(f"the message body is not Base64: {exc}",
                                  java_class="com.sap.it.rt.camel.processor.DecodingException") from exc
