"""Everything the portal and the API share, built once per app from the services.

Handlers receive plain collaborators from here (the stakeholder store, the
hasher, a clock), so tests can swap any of them without patching.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web
from argon2 import PasswordHasher

from bot.i18n import Catalogs
from bot.web.portal.ratelimit import LoginLimiter
from bot.web.proxies import TrustedProxies
from recruiter_reports.clock import utc_now
from recruiter_reports.stakeholders import Account, default_hasher
from recruiter_reports.stores import ModerationStore
from recruiter_reports.stores.names_port import NameStore
from recruiter_reports.stores.stakeholder_port import PortalSession, StakeholderStore

__all__ = ["ACCOUNT", "AUDITED", "DEMO", "PORTAL", "SESSION", "PortalConfig", "PortalContext"]

ACCOUNT = web.RequestKey("account", Account)
"""The signed-in account of a portal page or API call, set by the authenticating middleware."""
SESSION = web.RequestKey("session", PortalSession)
AUDITED = web.RequestKey("audited", bool)
"""Set by a handler that wrote its own audit entry, so the page view is not logged twice."""
DEMO = web.RequestKey("demo", bool)
"""The store holds synthetic demo reports: every page says so."""


class ModerationPorts(ModerationStore, NameStore, Protocol):
    """What the moderation pages change: held reports, comments, and typed names."""


@dataclass(frozen=True, slots=True)
class PortalConfig:
    """Session lifetimes and login throttling; the defaults suit an office browser."""

    idle_timeout: dt.timedelta = dt.timedelta(minutes=30)
    absolute_timeout: dt.timedelta = dt.timedelta(hours=8)
    login_failures: int = 5
    """Failed logins allowed per client address and key id within ``login_window``."""
    login_window: dt.timedelta = dt.timedelta(minutes=15)
    login_failures_per_key: int = 25
    """Failed logins allowed per key id from all addresses together within ``login_window``."""
    key_cache_ttl: dt.timedelta = dt.timedelta(minutes=5)
    """How long an API key, once verified, skips argon2 (the account is re-read every call)."""
    proxies: TrustedProxies = field(default_factory=TrustedProxies)
    """Whose X-Forwarded-For / X-Forwarded-Proto to believe (``TRUSTED_PROXIES``)."""


@dataclass(slots=True)
class PortalContext:
    """The portal's and API's collaborators."""

    stakeholders: StakeholderStore
    store: ModerationPorts
    catalogs: Catalogs
    min_reporters: int
    data: object | None = None
    """The data source for the data pages (``bot.web.portal.data.PortalData``), once built."""
    hasher: PasswordHasher = field(default_factory=default_hasher)
    config: PortalConfig = field(default_factory=PortalConfig)
    now: Callable[[], dt.datetime] = utc_now
    limiter: LoginLimiter = field(init=False)
    verified_keys: dict[str, tuple[str, dt.datetime]] = field(default_factory=dict)
    """Fingerprint of a verified key -> (account id, until when the check is trusted)."""
    stand_in_hash: str | None = None
    """An argon2 hash of nothing, checked for unknown key ids so they take as long."""

    def __post_init__(self) -> None:
        self.limiter = LoginLimiter(
            self.stakeholders,
            self.config.login_failures,
            self.config.login_window,
            lambda: self.now(),
            key_limit=self.config.login_failures_per_key,
        )


PORTAL = web.AppKey("portal", PortalContext)
