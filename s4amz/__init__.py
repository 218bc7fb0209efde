"""s4amz: the SAP S/4HANA + Amazon fulfillment accelerator for SAP Cloud Integration."""

__version__ = "0.1.0"
