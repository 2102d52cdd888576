"""Reading ``content/reportback/`` and checking it against the rest of the tree.

The folder is optional (without it no report-back is offered). When it is
there, ``figures.yaml`` and the default locale's words are required, every
guide must be an article of its destination, and every language's file must
word every figure, so no corridor or language is left with half a message.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.errors import ContentError
from bot.content.models import CountryRole
from bot.content.reportback import Reportback, ReportbackFigures, ReportbackWords
from bot.content.scan import Scan
from bot.content.sources import YamlDoc, parse_yaml, read_text, validate

__all__ = ["FOLDER", "check_reportback", "read_reportback"]

FOLDER = "reportback"
FIGURES = "figures.yaml"


def read_reportback(result: Scan) -> tuple[Reportback | None, dict[str, YamlDoc]]:
    """The folder's files, validated one by one (errors into ``result.errors``), and the
    documents by name (``figures`` or a locale) for the cross-file check."""
    folder = result.content_dir / FOLDER
    if not folder.is_dir():
        return None, {}
    docs: dict[str, YamlDoc] = {}
    words: dict[str, ReportbackWords] = {}
    figures: ReportbackFigures | None = None
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        display = result.display(path)
        if path.suffix != ".yaml" or not path.is_file():
            result.errors.append(ContentError(
                display, 1, "unexpected here: reportback/ holds figures.yaml and <locale>.yaml"))
            continue
        doc = _load(path, display, result)
        if doc is None:
            continue
        name = path.stem
        docs["figures" if path.name == FIGURES else name] = doc
        if path.name == FIGURES:
            figures = validate(ReportbackFigures, doc, result.errors)
        else:
            found = validate(ReportbackWords, doc, result.errors)
            if found is not None:
                words[name] = found
    if FIGURES not in {path.name for path in folder.iterdir()}:
        result.errors.append(ContentError(result.display(folder / FIGURES), 1, "missing file"))
    if figures is None:
        return None, docs
    return Reportback(tuple(figures.figures), words), docs


def check_reportback(result: Scan, content: Reportback | None, docs: dict[str, YamlDoc]) -> None:
    """Guides that exist, languages that exist, every figure worded in every file."""
    if content is None or result.site is None:
        return
    site = result.site
    figures_doc = docs["figures"]
    destinations = {c.code for c in result.countries.values()
                    if CountryRole.DESTINATION in c.roles}
    articles = {(a.country, a.meta.id) for a in result.articles}
    for index, figure in enumerate(content.figures):
        for code, article_id in figure.guides.items():
            line = figure_line(figures_doc, index, code)
            if code not in destinations:
                _error(result, figures_doc, line, f"guides: {code} is not a destination country")
            elif (code, article_id) not in articles:
                _error(result, figures_doc, line,
                       f"guides: no article '{article_id}' in {code.lower()}/")
    wanted = [figure.measure for figure in content.figures]
    for name, doc in docs.items():
        if name == "figures":
            continue
        if name not in site.locales:
            _error(result, doc, 1, f"'{name}' is not a locale of site.yaml "
                                   f"({', '.join(site.locales)})")
            continue
        words = content.words.get(name)
        if words is None:
            continue
        for measure in wanted:
            if measure not in words.figures:
                _error(result, doc, doc.line(("figures",)),
                       f"figures: no sentence for '{measure}' (listed in {FIGURES})")
        for measure in words.figures:
            if measure not in wanted:
                _error(result, doc, doc.line(("figures", measure)),
                       f"figures: '{measure}' is not listed in {FIGURES}")
    if site.default_locale not in docs:
        path = result.display(result.content_dir / FOLDER / f"{site.default_locale}.yaml")
        result.errors.append(ContentError(path, 1, "missing file: the default locale's words"))


def figure_line(doc: YamlDoc, index: int, code: str) -> int:
    return doc.line(("figures", index, "guides", code))


def _error(result: Scan, doc: YamlDoc, line: int, message: str) -> None:
    result.errors.append(ContentError(doc.path, line, message))


def _load(path: Path, display: str, result: Scan) -> YamlDoc | None:
    text = read_text(path, display, result.errors)
    return None if text is None else parse_yaml(text, display, result.errors)
