"""Storage adapters behind one port (``port.Store``)."""

from recruiter_reports.stores.port import Store, StoreUnavailable

__all__ = ["Store", "StoreUnavailable"]
