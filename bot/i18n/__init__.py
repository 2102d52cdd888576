"""Languages: UI-string catalogs (gettext PO via Babel), negotiation, plural forms, direction.

Load once at start-up, then translate with a dict lookup per string::

    catalogs = Catalogs.load(settings.LOCALES_DIR, settings.DEFAULT_LOCALE)
    t = catalogs.translator(catalogs.negotiate("sw-KE", catalogs.locales))
    t("Main menu"); t.plural("{n} report", "{n} reports", 3)

Drafted translations (``#, fuzzy``) are shown: a Swahili text awaiting
review serves someone who cannot read English better than English does.
"""

from bot.i18n.catalogs import SOURCE_LANGUAGE, Catalogs, catalog_path
from bot.i18n.coverage import Coverage, missing_translations
from bot.i18n.errors import CatalogError
from bot.i18n.extract import extract_messages, update_catalogs
from bot.i18n.languages import is_rtl, language_name
from bot.i18n.translator import Translator

__all__ = [
    "SOURCE_LANGUAGE",
    "CatalogError",
    "Catalogs",
    "Coverage",
    "Translator",
    "catalog_path",
    "extract_messages",
    "is_rtl",
    "language_name",
    "missing_translations",
    "update_catalogs",
]
