"""Business rules of the mocked S/4HANA, one module per business object (registered on import)."""

from harness.mocks.s4hana.behaviour import (billing, inventory, master_data, outbound_delivery,  # noqa: F401
                                            returns, sales_order)
