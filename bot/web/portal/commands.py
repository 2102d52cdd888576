"""``python -m bot stakeholders add|list|revoke`` and ``python -m bot seed-demo``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from bot.settings import Settings
from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.clock import utc_now
from recruiter_reports.demo import RealReportsPresent, seed_demo
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stakeholders import Role, default_hasher, new_account, parse_countries
from recruiter_reports.stores import Store, open_store
from recruiter_reports.stores.stakeholder_port import StakeholderStore, stakeholder_store_for

__all__ = ["add_arguments", "run_seed_demo", "run_stakeholders"]


def add_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``stakeholders`` and ``seed-demo`` subcommands."""
    accounts = commands.add_parser("stakeholders", help="portal and API accounts")
    actions = accounts.add_subparsers(dest="stakeholders_command", required=True)
    add = actions.add_parser("add", help="make an account and print its access key once")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--countries", default="", help="origin/destination codes, e.g. KE,QA")
    add.add_argument("--partner", default=None,
                     help="a caseworker's partner organisation (an id in content/partners.yaml)")
    add.add_argument("--agency", default=None,
                     help="an agency account's registry entry (its id, e.g. KE-EX-KE-0002, "
                          "or its licence number)")
    actions.add_parser("list", help="every account (never the keys)")
    revoke = actions.add_parser("revoke", help="disable an account at once")
    revoke.add_argument("id")
    commands.add_parser("seed-demo", help="fill an empty store with synthetic reports")


async def _open(settings: Settings) -> tuple[Store, StakeholderStore]:
    store = open_store(settings.STORE_URL)
    await store.open()
    try:
        return store, stakeholder_store_for(store)
    except NotImplementedError:
        await store.close()
        raise


async def run_stakeholders(
    settings: Settings, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    try:
        store, accounts = await _open(settings)
    except NotImplementedError as error:
        print(f"Cannot manage accounts: {error}", file=err)
        return 2
    try:
        match args.stakeholders_command:
            case "add":
                return await _add(settings, accounts, args, out, err)
            case "list":
                return await _list(accounts, out)
            case "revoke":
                return await _revoke(accounts, args.id, out, err)
        return 2
    finally:
        await store.close()


def _unknown_partner(settings: Settings, partner: str | None) -> str | None:
    """Why ``partner`` cannot be a caseworker's organisation, or None when it can.

    Only an organisation of ``content/partners.yaml`` ever receives cases; an
    account bound to a misspelt id would see an empty queue and nobody would know.
    """
    partner = (partner or "").strip()
    if not partner:
        return None
    from bot.content import ContentInvalid, load_content

    try:
        known = sorted(p.id for p in load_content(settings.CONTENT_DIR).partners)
    except ContentInvalid as error:
        return (f"the content tree has {len(error.errors)} problem(s), so its partners cannot "
                f"be read; run 'python -m bot content check'")  # fmt: skip
    if partner in known:
        return None
    listed = ", ".join(known) if known else "none (content/partners.yaml lists no organisation)"
    return (f"unknown partner organisation {partner!r}; known in "
            f"{settings.CONTENT_DIR / 'partners.yaml'}: {listed}")


async def _add(settings: Settings, accounts: StakeholderStore, args: argparse.Namespace,
               out: TextIO, err: TextIO) -> int:  # fmt: skip
    if args.role == Role.CASEWORKER.value and (why := _unknown_partner(settings, args.partner)):
        print(f"Cannot add the account: {why}", file=err)
        return 2
    try:
        countries = parse_countries(args.countries)
        agency = _agency_entry(settings, args.agency) if args.agency else None
        account, issued = new_account(
            args.name, Role(args.role), countries, utc_now(), default_hasher(),
            partner=args.partner, agency=agency,
        )
    except ValueError as error:
        print(f"Cannot add the account: {error}", file=err)
        return 2
    await accounts.add_account(account)
    scope = ",".join(sorted(account.countries)) or "-"
    bound = f", partner {account.partner}" if account.partner else ""
    bound += f", agency {account.agency}" if account.agency else ""
    await accounts.append_audit(AuditEntry(
        utc_now(), account.id, AuditAction.ACCOUNT_ADDED,
        f"cli: role {account.role.value}, countries {scope}{bound}",
    ))  # fmt: skip
    print(f"Account {account.id} ({account.name}, {account.role.value}, countries {scope}"
          f"{bound})", file=out)  # fmt: skip
    print("Access key (shown only now; store it safely, it cannot be recovered):", file=out)
    print(issued.key, file=out)
    return 0


def _agency_entry(settings: Settings, key: str) -> str:
    """The registry id of ``key`` (an id or a licence number), or ValueError."""
    key = key.strip()
    registries = load_registries(Path(settings.CONTENT_DIR) / "recruiters")
    registry = registries.get(key[:2].upper())
    found = registry.get(key) if registry is not None else None
    for registry in registries.values() if found is None else ():
        found = registry.by_licence(key)
        if found is not None:
            break
    if found is None:
        raise ValueError(f"no agency with id or licence number {key!r} in the registries")
    return found.id


async def _list(accounts: StakeholderStore, out: TextIO) -> int:
    found = await accounts.accounts()
    if not found:
        print("No accounts.", file=out)
        return 0
    print(f"{'id':<14} {'role':<10} {'countries':<12} {'created (UTC)':<17} status  name",
          file=out)  # fmt: skip
    for account in found:
        status = "active" if account.active else "revoked"
        countries = ",".join(sorted(account.countries)) or "-"
        created = account.created_at.strftime("%Y-%m-%d %H:%M")
        partner = f" (partner {account.partner})" if account.partner else ""
        partner += f" (agency {account.agency})" if account.agency else ""
        print(f"{account.id:<14} {account.role.value:<10} {countries:<12} {created:<17} "
              f"{status:<7} {account.name}{partner}", file=out)  # fmt: skip
    return 0


async def _revoke(accounts: StakeholderStore, account_id: str, out: TextIO, err: TextIO) -> int:
    if not await accounts.revoke(account_id, utc_now()):
        print(f"No account {account_id}.", file=err)
        return 1
    await accounts.append_audit(
        AuditEntry(utc_now(), account_id, AuditAction.ACCOUNT_REVOKED, "cli")
    )
    print(f"Account {account_id} revoked; its sessions and key stopped working.", file=out)
    return 0


async def run_seed_demo(settings: Settings, out: TextIO, err: TextIO) -> int:
    registries = load_registries(Path(settings.CONTENT_DIR) / "recruiters")
    recruiters = [recruiter for registry in registries.values() for recruiter in registry]
    try:
        store, accounts = await _open(settings)
    except NotImplementedError as error:
        print(f"Cannot seed: {error}", file=err)
        return 2
    try:
        result = await seed_demo(store, recruiters, utc_now())
        await accounts.append_audit(
            AuditEntry(utc_now(), None, AuditAction.SEED_DEMO, f"{result.reports} reports")
        )
    except RealReportsPresent as error:
        print(f"Refusing to seed demo data: {error}.", file=err)
        return 1
    finally:
        await store.close()
    print(f"Wrote {result.reports} SYNTHETIC demo reports about {result.agencies} example "
          "agencies. They are made up: never put real reports in this store.", file=out)
    return 0
