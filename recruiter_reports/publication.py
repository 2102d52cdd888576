"""When a published figure may change: only after its group has grown by ``k`` new reporters.

Two publications one report apart could be subtracted to read that report's
answers. So the figures of a group (an agency's summary) are kept as they
were last published (the snapshot in the store, ``RatingStore.published``),
and refreshed only when the group has at least ``k`` more reporters than at
that publication. Any two publications of a group then differ by at least
``k`` reports, and so does what their difference could reveal.

A group that shrinks (a worker withdraws or uses /forget) keeps its last
publication, an aggregate of at least ``k`` people that names no one, until
it has grown ``k`` past it; a group that falls below ``k`` shows nothing.
"""

from __future__ import annotations

from recruiter_reports.summaries import Summary

__all__ = ["due", "due_after", "shown"]


def due(reporters: int, last: Summary | None, k: int) -> bool:
    """True when a group of ``reporters`` is to be published (and kept) in place of ``last``."""
    return due_after(reporters, None if last is None else last.reporters, k)


def due_after(reporters: int, last_reporters: int | None, k: int) -> bool:
    """The same rule for any figure kept with its count of reporters (``last_reporters``:
    at its last publication, None when never published): check-ins use it too."""
    if reporters < k:
        return False
    return last_reporters is None or reporters >= last_reporters + k


def shown(current: Summary, last: Summary | None, k: int) -> Summary:
    """The counts to disclose now: ``current`` when it is due or below ``k``, else ``last``."""
    if current.reporters < k or last is None or due(current.reporters, last, k):
        return current
    return last
