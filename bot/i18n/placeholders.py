"""Checks that a translation uses the same ``{placeholders}`` as its msgid.

A msgstr that drops ``{number}`` would tell someone in danger to "call" with
no number, and one that invents ``{name}`` would crash formatting; both are
caught when the catalogs load, not when a user is waiting.
"""

from __future__ import annotations

from string import Formatter

__all__ = ["PlaceholderError", "check_plural", "check_singular", "fields"]

_FORMATTER = Formatter()


class PlaceholderError(ValueError):
    """A msgstr whose placeholders do not fit its msgid."""


def fields(text: str) -> frozenset[str]:
    """Return the names of the ``str.format`` fields in ``text``.

    Raises PlaceholderError for malformed braces and for positional fields,
    which ``t()`` never fills (it formats with keyword arguments only).
    """
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise PlaceholderError(f"malformed placeholder: {exc}") from None
    for _literal, name, spec, _conversion in parsed:
        if name is None:
            continue
        if name == "" or name.isdigit():
            raise PlaceholderError("positional placeholder {} is not allowed; name it")
        names.add(name)
        if spec:
            names |= fields(spec)
    return frozenset(names)


def _describe(names: frozenset[str] | set[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


def check_singular(msgid: str, msgstr: str) -> None:
    """Require exactly the msgid's placeholders in the msgstr."""
    expected = fields(msgid)
    got = fields(msgstr)
    problems = []
    if extra := got - expected:
        problems.append(f"has unknown {_describe(extra)}")
    if missing := expected - got:
        problems.append(f"lacks {_describe(missing)}")
    if problems:
        raise PlaceholderError(f"msgstr {' and '.join(problems)} (msgid {msgid!r})")


def check_plural(singular: str, plural: str, forms: tuple[str, ...]) -> None:
    """Check every plural form against the msgid's placeholders.

    A form may leave out ``{n}`` (Arabic says "one report" or "two reports"
    with no digit), but the last form - used for most numbers in every
    language - must show it when the English plural does, and every other placeholder must appear in
    every form.
    """
    plural_fields = fields(plural)
    allowed = fields(singular) | plural_fields | {"n"}
    required = allowed - {"n"}
    required_last = required | ({"n"} & plural_fields)
    for index, form in enumerate(forms):
        got = fields(form)
        if extra := got - allowed:
            raise PlaceholderError(
                f"msgstr[{index}] has unknown {_describe(extra)} (msgid {singular!r})"
            )
        needed = required_last if index == len(forms) - 1 else required
        if missing := needed - got:
            raise PlaceholderError(
                f"msgstr[{index}] lacks {_describe(missing)} (msgid {singular!r})"
            )
