"""Adapters of ``followups.port.FollowupStore``: memory, SQLite, MongoDB."""
