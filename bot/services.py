"""The composition root: builds every long-lived part of the bot from the settings.

Only this module and the CLI read ``Settings``; the parts below receive plain
values, so each can be built on its own in a test.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.case_effects import CaseEffects
from bot.content import ContentTree, load_content
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.followup_effects import FollowupEffects
from bot.i18n import Catalogs
from bot.settings import VAR_DIR, Settings
from bot.turn_storage import StoreTurns
from casework import CaseStore, CasesUnavailable, Sealer
from casework.outbox import OutboxStore
from followups import FollowupStore, FollowupsUnavailable
from recruiter_reports.clock import utc_now
from recruiter_reports.keyfile import load_or_create_key
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores import Store, StoreUnavailable, open_store
from recruiter_reports.stores.replies_port import ReplyReads
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a channel, the web app or the CLI needs, built once."""

    settings: Settings
    content: ContentTree
    catalogs: Catalogs
    store: Store
    engine: Engine
    runner: Runner
    cases: CaseStore | None = None
    """Cases, in the same file or database as ``store``."""
    sealer: Sealer | None = None
    """None without ``CONTACT_KEY``: then no case is opened and the bot names the partner."""
    outbox: OutboxStore | None = None
    """What caseworkers sent that must still reach people's chats (``casework.outbox``)."""
    followups: FollowupStore | None = None
    """Check-ins people agreed to and their queue (``followups``), beside ``store``."""

    def partner_name(self, partner_id: str, locale: str) -> str:
        """The partner organisation's name in ``locale``, as the person reads it.

        From ``content/partners.yaml`` once the content tree holds it
        (``ContentTree.partner``); the id itself for an organisation it does not know.
        """
        find = getattr(self.content, "partner", None)
        partner = find(partner_id) if callable(find) else None
        name = getattr(partner, "name", None)
        if isinstance(name, Mapping):
            return self.content.text(name, locale) or partner_id
        return str(name) if name else partner_id

    async def close(self) -> None:
        if self.followups is not None:
            await self.followups.close()
        if self.outbox is not None:
            await self.outbox.close()
        if self.cases is not None:
            await self.cases.close()
        await self.store.close()


def case_store_for(store: Store) -> CaseStore:
    """The case store beside ``store``: same SQLite file, same MongoDB database, or memory."""
    from recruiter_reports.stores.memory import MemoryStore
    from recruiter_reports.stores.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from casework.stores.sqlite import SQLiteCaseStore

        return SQLiteCaseStore(store.path)
    if isinstance(store, MemoryStore):
        from casework.stores.memory import MemoryCaseStore

        return MemoryCaseStore()
    # Imported here so SQLite-only installs never load the driver.
    from casework.stores.mongodb import MongoDBCaseStore
    from recruiter_reports.stores.mongodb import MongoDBStore

    if isinstance(store, MongoDBStore):
        return MongoDBCaseStore(store.url, database=store.database_name)
    raise ValueError(f"no case store for {type(store).__name__}")


def outbox_for(store: Store) -> OutboxStore:
    """The case outbox beside ``store``: same SQLite file, same MongoDB database, or memory."""
    from recruiter_reports.stores.memory import MemoryStore
    from recruiter_reports.stores.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from casework.stores.outbox_sqlite import SQLiteOutbox

        return SQLiteOutbox(store.path)
    if isinstance(store, MemoryStore):
        from casework.stores.outbox_memory import MemoryOutbox

        return MemoryOutbox()
    from casework.stores.outbox_mongodb import MongoDBOutbox
    from recruiter_reports.stores.mongodb import MongoDBStore

    if isinstance(store, MongoDBStore):
        return MongoDBOutbox(store.url, database=store.database_name)
    raise ValueError(f"no case outbox for {type(store).__name__}")


def followups_for(store: Store) -> FollowupStore:
    """The follow-up store beside ``store``: same SQLite file, same MongoDB database, or memory."""
    from recruiter_reports.stores.memory import MemoryStore
    from recruiter_reports.stores.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from followups.stores.sqlite import SQLiteFollowups

        return SQLiteFollowups(store.path)
    if isinstance(store, MemoryStore):
        from followups.stores.memory import MemoryFollowups

        return MemoryFollowups()
    from followups.stores.mongodb import MongoDBFollowups
    from recruiter_reports.stores.mongodb import MongoDBStore

    if isinstance(store, MongoDBStore):
        return MongoDBFollowups(store.url, database=store.database_name)
    raise ValueError(f"no follow-up store for {type(store).__name__}")


def sealer_from(settings: Settings) -> Sealer | None:
    """The sealer ``CONTACT_KEY`` describes, or None: cases are off."""
    if settings.CONTACT_KEY is None:
        return None
    return Sealer.from_setting(settings.CONTACT_KEY.get_secret_value())


def pseudonymizer_from(settings: Settings) -> Pseudonymizer:
    """The keyed pseudonymizer; a local store gets a generated key, MongoDB needs one set."""
    configured = settings.PSEUDONYM_KEY.get_secret_value() if settings.PSEUDONYM_KEY else None
    key, generated = load_or_create_key(
        configured, VAR_DIR, required=settings.store_is_mongodb
    )
    if generated:
        log.warning(
            "PSEUDONYM_KEY is not set: generated one in %s. Keep it: losing it unlinks "
            "every user from their data.",
            VAR_DIR / "pseudonym.key",
        )
    return Pseudonymizer(key)


async def build_services(settings: Settings) -> Services:
    """Load content and catalogs, open the store and wire the engine to it."""
    content = load_content(settings.CONTENT_DIR)
    catalogs = Catalogs.load(settings.LOCALES_DIR, settings.DEFAULT_LOCALE)
    registries = load_registries(settings.CONTENT_DIR / "recruiters")
    pseudonymize = pseudonymizer_from(settings)
    store = open_store(settings.STORE_URL)
    try:
        await store.open()
    except StoreUnavailable:
        # Guides and SOS work from memory; /readyz says "not ready" until the store
        # answers, and the store finishes its set-up on the first call that gets through.
        log.warning("the store is unreachable at start-up; serving from memory until it returns")
    cases = case_store_for(store)
    try:
        await cases.open()
    except CasesUnavailable:
        log.warning("the case store is unreachable at start-up; it is retried on first use")
    outbox = outbox_for(store)
    try:
        await outbox.open()
    except CasesUnavailable:
        log.warning("the case outbox is unreachable at start-up; it is retried on first use")
    followups = followups_for(store)
    try:
        await followups.open()
    except FollowupsUnavailable:
        log.warning("the follow-up store is unreachable at start-up; it is retried on first use")
    sealer = sealer_from(settings)
    if sealer is None:
        log.info("CONTACT_KEY is not set: cases and check-ins are off")
    engine = Engine(
        content,
        catalogs,
        store,
        min_reporters=settings.MIN_REPORTERS,
        registries=registries,
        cases=cases if sealer is not None else None,
        case_retention_days=settings.CASE_RETENTION_DAYS,
        followups=followups if sealer is not None else None,
        drafts=sealer,
        replies=_replies_of(store),
    )
    turns = StoreTurns(store, CaseEffects(cases, sealer, utc_now, outbox),
                       FollowupEffects(followups, sealer))
    runner = Runner(engine, turns, pseudonymize)
    return Services(settings, content, catalogs, store, engine, runner, cases=cases, sealer=sealer,
                    outbox=outbox, followups=followups)


def _replies_of(store: Store) -> ReplyReads | None:
    """Agencies' approved replies, kept beside the stakeholder accounts of ``store``."""
    try:
        found = stakeholder_store_for(store)
    except NotImplementedError:
        return None
    return found if isinstance(found, ReplyReads) else None
