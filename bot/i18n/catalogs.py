"""All languages' UI strings, loaded once at start-up from ``locales/``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from bot.i18n.coverage import Coverage, Status, count, template_msgids
from bot.i18n.errors import CatalogError
from bot.i18n.languages import is_rtl, negotiate, parse_locale
from bot.i18n.loading import ParsedCatalog, parse_po
from bot.i18n.translator import Translator

__all__ = ["CATALOG_NAME", "SOURCE_LANGUAGE", "TEMPLATE_NAME", "Catalogs", "catalog_path"]

SOURCE_LANGUAGE = "en"  # msgids are the English text
CATALOG_NAME = "bot.po"
TEMPLATE_NAME = "bot.pot"


def catalog_path(locales_dir: Path, locale: str) -> Path:
    """Where ``locale``'s catalog lives: ``<locales_dir>/<locale>/LC_MESSAGES/bot.po``."""
    return locales_dir / locale / "LC_MESSAGES" / CATALOG_NAME


class Catalogs:
    """Every locale's catalog plus one ready Translator per locale."""

    def __init__(
        self,
        parsed: Mapping[str, ParsedCatalog],
        default_locale: str,
        msgids: Sequence[str] | None = None,
    ) -> None:
        if default_locale not in parsed:
            raise ValueError(f"default locale {default_locale!r} has no catalog")
        self.default_locale = default_locale
        others = sorted(code for code in parsed if code != default_locale)
        self.locales: tuple[str, ...] = (default_locale, *others)
        self._parsed = dict(parsed)
        self._msgids: tuple[str, ...] = tuple(
            msgids if msgids is not None else sorted(parsed[default_locale].msgids)
        )
        default = self._build(parsed[default_locale], None)
        self._translators = {default_locale: default}
        for code in self.locales[1:]:
            self._translators[code] = self._build(parsed[code], default)

    @staticmethod
    def _build(catalog: ParsedCatalog, fallback: Translator | None) -> Translator:
        babel_locale = parse_locale(catalog.locale)
        assert babel_locale is not None  # checked by load()
        return Translator(
            catalog.locale,
            babel_locale,
            is_rtl(catalog.locale),
            catalog.singular,
            catalog.plural,
            catalog.plural_index,
            fallback,
        )

    @classmethod
    def load(cls, locales_dir: Path, default_locale: str) -> Catalogs:
        """Parse every ``<lang>/LC_MESSAGES/bot.po``; raise CatalogError on the first problem.

        ``bot.pot`` next to the languages, when present, is the list of UI
        strings coverage is counted against; otherwise the default catalog is.
        """
        locales_dir = Path(locales_dir)
        if not locales_dir.is_dir():
            raise CatalogError(locales_dir, None, "locales directory not found")
        parsed: dict[str, ParsedCatalog] = {}
        for path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{CATALOG_NAME}")):
            code = path.parent.parent.name
            if parse_locale(code) is None:
                raise CatalogError(path, None, f"unknown locale {code!r} (directory name)")
            parsed[code] = parse_po(path, code)
        if default_locale not in parsed:
            raise CatalogError(
                catalog_path(locales_dir, default_locale),
                None,
                f"the default locale {default_locale!r} has no catalog",
            )
        return cls(parsed, default_locale, _template_ids(locales_dir / TEMPLATE_NAME))

    def translator(self, locale: str | None) -> Translator:
        """The translator for ``locale``; the default locale's for None or an unknown one."""
        if locale is None:
            return self._translators[self.default_locale]
        found = self._translators.get(locale)
        if found is not None:
            return found
        best = negotiate(locale, self.locales)
        return self._translators[best or self.default_locale]

    def negotiate(self, hint: str | None, offered: Sequence[str]) -> str | None:
        """The offered locale best matching a phone's or browser's hint ("sw-KE" -> "sw")."""
        return negotiate(hint, offered)

    def status(self, locale: str, msgid: str) -> Status:
        """Whether users of ``locale`` see ``msgid`` reviewed, drafted, or in another language."""
        catalog = self._parsed.get(locale)
        if catalog is None:
            return "missing"
        if msgid in catalog.drafted:
            return "fuzzy"
        if msgid in catalog.singular or msgid in catalog.plural:
            return "translated"
        language = parse_locale(locale)
        if language is not None and language.language == SOURCE_LANGUAGE:
            return "translated"  # the msgid is already the English text
        return "missing"

    def coverage(self, template: Catalog | None = None) -> dict[str, Coverage]:
        """Per locale, how many UI strings are reviewed, drafted (fuzzy) or missing.

        The UI strings are ``template``'s when given (a fresh extraction),
        else ``bot.pot``'s, else the default catalog's.
        """
        msgids = self._msgids if template is None else tuple(template_msgids(template))
        return {code: count(self, code, msgids) for code in self.locales}


def _template_ids(path: Path) -> list[str] | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            template = read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(path, exc.lineno + 1, str(exc).split(" on ")[0]) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(path, None, str(exc)) from None
    return template_msgids(template)
