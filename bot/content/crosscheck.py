"""Checks that need more than one file: ids, references between files, folders.

They run on whatever parsed, so a typo in one file does not hide the problems
of the others. Checks that depend on ``site.yaml`` are skipped while it is
broken, since they would only repeat its error on every article.
"""

from __future__ import annotations

from bot.content.errors import ContentError
from bot.content.models import Article, Country, CountryRole, FeeRuleKind
from bot.content.scan import Scan
from bot.content.sources import YamlDoc

__all__ = ["crosscheck"]


def crosscheck(result: Scan) -> None:
    """Append to ``result.errors`` every problem between files."""
    _check_site(result)
    _check_countries(result)
    _check_resources(result)
    _check_articles(result)
    _check_partners(result)


def _check_site(result: Scan) -> None:
    site, doc = result.site, result.site_doc
    if site is None or doc is None:
        return
    if site.default_locale not in site.locales:
        result.errors.append(
            ContentError(
                doc.path,
                doc.line(("default_locale",)),
                f"default_locale '{site.default_locale}' is not one of locales "
                f"{', '.join(site.locales)}",
            )
        )
    lists: tuple[tuple[str, list[str]], ...] = (
        ("topic", [topic.id for topic in site.topics]),
        ("need", [need.id for need in site.needs]),
    )
    for key, ids in lists:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                line = doc.line((f"{key}s", index, "id"))
                message = f"duplicate {key} id '{item_id}'"
                result.errors.append(ContentError(doc.path, line, message))
            seen.add(item_id)


def _check_countries(result: Scan) -> None:
    by_code = {country.code: country for country in result.countries.values()}
    for folder, country in result.countries.items():
        doc = result.country_docs[folder]
        _check_fee_cap(result, country, doc)
        _check_destinations(result, country, doc, by_code)
        if country.code != folder.upper() or folder != folder.lower():
            result.errors.append(
                ContentError(
                    doc.path,
                    doc.line(("code",)),
                    f"code '{country.code}' does not match its folder '{folder}' "
                    f"(the folder is the code in lowercase)",
                )
            )


def _check_fee_cap(result: Scan, country: Country, doc: YamlDoc) -> None:
    """Paying exactly the legal cap is legal: a band must end right after it
    (``max`` is exclusive), or a worker who paid the cap is counted as overcharged."""
    rule = country.fee_rule
    if rule is None or rule.kind != FeeRuleKind.CAP or rule.cap is None or not country.fee_bands:
        return
    if all(band.max != rule.cap + 1 for band in country.fee_bands):
        result.errors.append(
            ContentError(
                doc.path,
                doc.line(("fee_bands",)),
                f"no fee band ends at the legal cap: give one band max: {rule.cap + 1} "
                f"(max is exclusive), so a payment of exactly {rule.cap} is on the legal side",
            )
        )


def _check_destinations(
    result: Scan, country: Country, doc: YamlDoc, by_code: dict[str, Country]
) -> None:
    """An origin's corridors lead to destinations. A code with no folder yet is
    allowed (its country may be written later); a known non-destination is a typo."""
    if country.destinations and CountryRole.ORIGIN not in country.roles:
        result.errors.append(
            ContentError(doc.path, doc.line(("destinations",)), "only an origin has destinations")
        )
    for index, code in enumerate(country.destinations):
        target = by_code.get(code)
        if target is not None and CountryRole.DESTINATION not in target.roles:
            result.errors.append(
                ContentError(
                    doc.path,
                    doc.line(("destinations", index)),
                    f"'{code}' is not a destination (its country.yaml has no role destination)",
                )
            )


def _check_resources(result: Scan) -> None:
    needs = {need.id for need in result.site.needs} if result.site else None
    for folder, resources in result.resources.items():
        doc = result.resource_docs[folder]
        seen: set[str] = set()
        for index, resource in enumerate(resources.resources):
            if resource.id in seen:
                line = doc.line(("resources", index, "id"))
                result.errors.append(
                    ContentError(doc.path, line, f"duplicate resource id '{resource.id}'")
                )
            seen.add(resource.id)
            for position, need in enumerate(resource.needs):
                if needs is not None and need not in needs:
                    line = doc.line(("resources", index, "needs", position))
                    result.errors.append(
                        ContentError(
                            doc.path, line, f"unknown need '{need}' (not in site.yaml needs)"
                        )
                    )


def _check_articles(result: Scan) -> None:
    site = result.site
    by_locale: dict[str, dict[str, Article]] = {}
    for article in result.articles:
        if site is not None and article.locale not in site.locales:
            result.errors.append(
                ContentError(
                    article.path,
                    1,
                    f"locale folder '{article.locale}' is not offered in site.yaml locales",
                )
            )
        if site is not None and all(topic.id != article.topic for topic in site.topics):
            result.errors.append(
                ContentError(
                    article.path, 1, f"topic folder '{article.topic}' is not a topic of site.yaml"
                )
            )
        same_locale = by_locale.setdefault(article.locale, {})
        first = same_locale.get(article.meta.id)
        if first is not None:
            result.errors.append(
                ContentError(
                    article.path,
                    result.id_lines[article.path],
                    f"duplicate article id '{article.meta.id}' in locale '{article.locale}' "
                    f"(also in {first.path})",
                )
            )
        else:
            same_locale[article.meta.id] = article
    default = site.default_locale if site and site.default_locale in site.locales else None
    _check_translations(result, by_locale, default)
    _check_links(result, by_locale, default)


def _check_translations(
    result: Scan, by_locale: dict[str, dict[str, Article]], default: str | None
) -> None:
    """A translation sits in the same country and topic as the original, so menus
    built from the default locale and from a translation agree."""
    originals = by_locale.get(default, {}) if default else {}
    for locale, articles in by_locale.items():
        if locale == default:
            continue
        for article in articles.values():
            original = originals.get(article.meta.id)
            if original is None:
                continue
            if (original.country, original.topic) != (article.country, article.topic):
                result.errors.append(
                    ContentError(
                        article.path,
                        result.id_lines[article.path],
                        f"translation of '{article.meta.id}' is not in the same country and "
                        f"topic as {original.path}",
                    )
                )


def _check_links(
    result: Scan, by_locale: dict[str, dict[str, Article]], default: str | None
) -> None:
    """A link must open something in the reader's locale or the default one
    (any locale while site.yaml is broken, rather than flag every link)."""

    def known(locale: str, target: str) -> bool:
        return target in by_locale.get(locale, {}) or target in result.unparsed_ids.get(locale, ())

    fallbacks = [default] if default else list(by_locale)
    for article in result.articles:
        for link in result.links.get(article.path, ()):
            reachable = known(article.locale, link.target) or any(
                known(locale, link.target) for locale in fallbacks
            )
            if not reachable:
                result.errors.append(
                    ContentError(
                        article.path,
                        link.line,
                        f"link to unknown article 'article:{link.target}'",
                    )
                )


def _check_partners(result: Scan) -> None:
    """Partner ids are unique and their countries are countries of the tree."""
    partners, doc = result.partners, result.partners_doc
    if partners is None or doc is None:
        return
    known = {country.code for country in result.countries.values()}
    seen: set[str] = set()
    for index, partner in enumerate(partners.partners):
        if partner.id in seen:
            result.errors.append(
                ContentError(doc.path, doc.line(("partners", index, "id")),
                             f"partner id '{partner.id}' is used twice")
            )  # fmt: skip
        seen.add(partner.id)
        for position, code in enumerate(partner.countries):
            if code not in known:
                result.errors.append(
                    ContentError(doc.path, doc.line(("partners", index, "countries", position)),
                                 f"partners[{index}].countries: no country folder for {code}")
                )  # fmt: skip
