"""Rendering a message to many recipients once per language gives each recipient exactly
what rendering their message alone gives."""

from __future__ import annotations

import pytest

from urbis.messaging.domain import AttachmentIn
from urbis.messaging.render import Addressee, message_render, messages_render

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "plain.subject.txt": '{% load i18n %}{% translate "Date" %}: {{ organisation }}',
    "plain.txt": (
        "{% load i18n %}{% autoescape off %}{% blocktranslate with name=recipient_name %}"
        "Dear {{ name }},{% endblocktranslate %}\n{{ organisation }} ({{ recipient_address }})"
        "\n{% endautoescape %}"
    ),
    "plain.html": "<p>{{ recipient_name }}</p><p>{{ organisation }}</p>",
    "filtered.subject.txt": "To {{ organisation }}",
    "filtered.txt": "{{ recipient_name|upper }} of {{ organisation }}",
    "fallback.subject.txt": "To {{ organisation }}",
    "fallback.txt": '{{ recipient_name|default:"colleague" }} of {{ organisation }}',
}

ADDRESSEES = [
    Addressee("ana@avalon.example", "Ana Focal", "en", {"organisation": "Avalon"}),
    Addressee("minji@busan.example", "Kim Min-ji", "ko", {"organisation": "Busan"}),
    Addressee("luc@lyon.example", "Luc Point", "fr", {"organisation": "Lyon"}),
    Addressee("bob@avalon.example", "Bob Focal", "en", {"organisation": "Avalon"}),
    # Strings a template escapes, folds or treats as empty: rendered alone.
    Addressee("sean@cork.example", "Seán O'Brien", "en", {"organisation": "Cork & Kerry"}),
    Addressee("nobody@cork.example", "", "en", {"organisation": "Cork"}),
    Addressee("two@cork.example", "Two  Spaces", "ko", {"organisation": "<Cork>"}),
    Addressee(
        "kim@busan.example",
        "Kim Focal",
        "ko",
        {"organisation": "Busan"},
        (AttachmentIn("a.ics", b"x", "text/calendar"),),
    ),
]


@pytest.fixture
def templates(settings, tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    for filename, text in TEMPLATES.items():
        (folder / filename).write_text(text)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]


def _alone(name: str) -> list:
    return [
        message_render(
            name,
            {"meeting": "GA", **a.vary},
            to_address=a.to_address,
            to_name=a.to_name,
            language=a.language,
            attachments=a.attachments,
        )
        for a in ADDRESSEES
    ]


@pytest.mark.parametrize("name", ["t/plain", "t/filtered", "t/fallback"])
def test_each_recipient_reads_what_rendering_alone_gives(templates, name):
    rendered = messages_render(name, {"meeting": "GA"}, ADDRESSEES)
    assert rendered == _alone(name)


def test_the_strings_are_put_in_each_language_and_escaped_in_html(templates):
    ana, minji, _luc, _bob, sean, _nobody, _two, _kim = messages_render("t/plain", {}, ADDRESSEES)
    assert (ana.subject, ana.body_text) == (
        "Date: Avalon",
        "Dear Ana Focal,\nAvalon (ana@avalon.example)\n",
    )
    assert minji.subject == "날짜: Busan"
    assert sean.body_html == "<p>Seán O&#x27;Brien</p><p>Cork &amp; Kerry</p>"
