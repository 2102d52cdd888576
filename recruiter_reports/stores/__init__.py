"""Storage behind narrow ports (``port``, ``stakeholder_port``), and ``open_store``.

Callers name a port; only ``open_store`` (called by the composition root)
knows the adapters (in-memory, SQLite, MongoDB), which live in their own
modules, so importing this package never imports a database driver.
"""

from recruiter_reports.stores.factory import open_store
from recruiter_reports.stores.port import (
    DeliveryStore,
    Lifecycle,
    ModerationStore,
    RatingStore,
    SessionStore,
    Store,
    StoreUnavailable,
)
from recruiter_reports.stores.sqlite_schema import SchemaTooNew
from recruiter_reports.stores.stakeholder_port import PortalSession, StakeholderStore

__all__ = [
    "DeliveryStore",
    "Lifecycle",
    "ModerationStore",
    "PortalSession",
    "RatingStore",
    "SchemaTooNew",
    "SessionStore",
    "StakeholderStore",
    "Store",
    "StoreUnavailable",
    "open_store",
]
