"""Storage adapters behind one port (``port.Store``): in-memory, SQLite, MongoDB, and a factory."""

from recruiter_reports.stores.factory import open_store
from recruiter_reports.stores.memory import MemoryStore
from recruiter_reports.stores.mongodb import MongoDBStore
from recruiter_reports.stores.port import Store, StoreUnavailable
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_schema import SchemaTooNew

__all__ = [
    "MemoryStore",
    "MongoDBStore",
    "SQLiteStore",
    "SchemaTooNew",
    "Store",
    "StoreUnavailable",
    "open_store",
]
