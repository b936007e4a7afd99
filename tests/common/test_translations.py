"""The interface's catalogs: complete, compiled from their sources, and used by the pages.

A catalog is incomplete when any entry is untranslated or fuzzy, when a plural entry lacks one
of its language's forms, or when a translation drops or invents a placeholder; the compiled
`.mo` beside each `.po` must hold exactly the `.po`'s translations (`make messages` rebuilds
both). Pages render in the language of the language cookie, and the footer's switcher sets it.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a `.po` file (the header is the entry with an empty msgid)."""
    entries: list[Entry] = []
    entry, key = Entry(), ""

    def flush() -> None:
        nonlocal entry
        if entry.msgstr or entry.msgid:
            entries.append(entry)
        entry = Entry()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, ast.literal_eval(line))
        else:
            key, _, rest = line.partition(" ")
            if key.startswith("msgstr") and "[" not in key:
                key = "msgstr[0]"
            _append(entry, key, ast.literal_eval(rest), start=True)
    flush()
    return entries


def _append(entry: Entry, key: str, text: str, *, start: bool = False) -> None:
    if key == "msgctxt":
        entry.msgctxt = text if start else (entry.msgctxt or "") + text
    elif key == "msgid":
        entry.msgid = text if start else entry.msgid + text
    elif key == "msgid_plural":
        entry.msgid_plural = text if start else (entry.msgid_plural or "") + text
    else:
        index = int(key[len("msgstr[") : -1])
        entry.msgstr[index] = text if start else entry.msgstr.get(index, "") + text


def _plural_count(header: Entry) -> int:
    match = re.search(r"nplurals=(\d+)", header.msgstr[0])
    assert match, "the header names no Plural-Forms"
    return int(match.group(1))


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def test_every_declared_language_but_english_has_a_catalog():
    assert TRANSLATED == ["ko", "fr", "es", "ru"]
    for lang in TRANSLATED:
        assert _po(lang).is_file(), f"no catalog for {lang}"
        assert _po(lang).with_suffix(".mo").is_file(), f"{lang}: the catalog is not compiled"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_is_complete(lang: str):
    entries = parse_po(_po(lang))
    header, messages = entries[0], entries[1:]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    forms = _plural_count(header)
    assert len(messages) >= 100
    problems = []
    for e in messages:
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy: {e.msgid!r}")
        expected = forms if e.msgid_plural is not None else 1
        if sorted(e.msgstr) != list(range(expected)) or not all(e.msgstr.values()):
            problems.append(f"untranslated: {e.msgid!r}")
            continue
        wanted = set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or "")))
        for text in e.msgstr.values():
            found = set(PLACEHOLDER.findall(text))
            # A one-form language may leave out the count in its sole form, never a name.
            if found != wanted and found != wanted - {"counter"}:
                problems.append(f"placeholders {sorted(found)} ≠ {sorted(wanted)}: {e.msgid!r}")
    assert not problems, f"{lang} catalog:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalog_matches_its_source(lang: str):
    with _po(lang).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in parse_po(_po(lang))[1:]:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            expected.update({(key, i): text for i, text in e.msgstr.items()})
    assert catalog == expected, f"{lang}: run `make messages` to recompile the catalog"


def _get(client: Client, path: str, lang: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "home", "members", "sign_in"),
    [
        ("ko", "스마트 도시 네트워크", "회원", "로그인"),
        ("ru", "Сеть умных городов", "Члены", "Войти"),
    ],
)
def test_public_pages_render_in_the_cookies_language(lang, home, members, sign_in):
    client = Client()
    html = _get(client, reverse("home"), lang)
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{home}</h1>" in html
    assert f">{members}</a>" in html  # the navigation
    assert "A network of smart cities" not in html

    html = _get(client, reverse("members:directory"), lang)
    directory = {"ko": "회원 명부", "ru": "Справочник членов"}[lang]
    assert f"<h1>{directory}</h1>" in html

    html = _get(client, reverse("login"), lang)
    assert f"<h1>{sign_in}</h1>" in html
    assert f'<button type="submit">{sign_in}</button>' in html


@pytest.mark.django_db
def test_without_a_cookie_the_pages_stay_in_english():
    html = Client().get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>A network of smart cities</h1>" in html
    assert "urbis · secretariat platform · figures are computed from the registry" in html


@pytest.mark.django_db
def test_the_footer_switcher_offers_every_language_and_sets_the_cookie():
    client = Client()
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    natives = [("ko", "한국어"), ("fr", "français"), ("es", "español"), ("ru", "Русский")]
    for code, native in natives:
        assert f'<option value="{code}" lang="{code}">{native}</option>' in html

    response = client.post(reverse("set_language"), {"language": "ru", "next": "/members/"})
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"

    html = client.get(reverse("members:directory")).content.decode()
    assert "<h1>Справочник членов</h1>" in html
    assert '<option value="ru" lang="ru" selected>Русский</option>' in html


@pytest.mark.django_db
def test_dates_follow_the_language():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("home"))
    as_of = response.context["as_of"]
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
    months += ["septembre", "octobre", "novembre", "décembre"]
    expected = f"Composition au {as_of.day} {months[as_of.month - 1]} {as_of.year}"
    assert expected in response.content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("home"))
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа"]
    months += ["сентября", "октября", "ноября", "декабря"]
    expected = f"Состав на {as_of.day} {months[as_of.month - 1]} {as_of.year}"
    assert expected in response.content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.get(reverse("home"))
    expected = f"{as_of.year}년 {as_of.month}월 {as_of.day}일 기준 회원 현황"
    assert expected in response.content.decode()
