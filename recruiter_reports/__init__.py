"""The ratings domain: questionnaire, registry, pseudonyms, summaries, disclosure control.

It never imports ``bot``: the portal, the API and the chat all read through it.
"""

from recruiter_reports.disclosure import (
    Average,
    Disclosed,
    Share,
    TypicalFee,
    Withheld,
    check_k,
    disclose,
    disclose_breakdown,
)
from recruiter_reports.registry import (
    LicenceStatus,
    Match,
    Recruiter,
    Registry,
    is_pending_id,
    pending_recruiter,
    pending_recruiter_id,
    recruiter_id,
)
from recruiter_reports.registry_csv import (
    RegistryInvalid,
    check_registry,
    load_registries,
    load_registry,
)
from recruiter_reports.reports import INDICATORS, NO_FEE, Report
from recruiter_reports.scrub import ScrubResult, scrub
from recruiter_reports.summaries import Summary, YesNo, summarize

__all__ = [
    "INDICATORS",
    "NO_FEE",
    "Average",
    "Disclosed",
    "LicenceStatus",
    "Match",
    "Recruiter",
    "Registry",
    "RegistryInvalid",
    "Report",
    "ScrubResult",
    "Share",
    "Summary",
    "TypicalFee",
    "Withheld",
    "YesNo",
    "check_k",
    "check_registry",
    "disclose",
    "disclose_breakdown",
    "is_pending_id",
    "load_registries",
    "load_registry",
    "pending_recruiter",
    "pending_recruiter_id",
    "recruiter_id",
    "scrub",
    "summarize",
]
