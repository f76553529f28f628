"""Organizer-written texts: placeholders filled, broken or escaping templates refused with the line."""

import pytest

from eventhub.messages.texts import TemplateInvalid, check, render, to_html

SAMPLE = {"first_name": "Mei", "event_title": "SME Workshop", "settings": {"SECRET_KEY": "s3cret"}}


def test_placeholders_are_filled():
    assert render("Dear {{ first_name }},\nsee {{ event_title }}.", SAMPLE) == "Dear Mei,\nsee SME Workshop."


@pytest.mark.parametrize("source, line", [
    ("Dear {{ first_name }},\n\n{{ frist_name }}", 3),          # unknown placeholder
    ("Dear\n{% if first_name %}\nno end", None),                 # syntax error
    ("{{ first_name.__class__.__mro__ }}", 1),                   # Python internals
    ("{{ first_name.__init__.__globals__ }}", 1),
])
def test_broken_or_escaping_templates_are_refused(source, line):
    with pytest.raises(TemplateInvalid) as caught:
        check(source, SAMPLE)
    if line is not None:
        assert caught.value.line == line
    assert caught.value.message


def test_sandbox_cannot_change_values():
    with pytest.raises(TemplateInvalid):
        check("{{ settings.clear() }}", SAMPLE)
    assert SAMPLE["settings"] == {"SECRET_KEY": "s3cret"}


def test_html_part_escapes_markup_and_keeps_light_formatting():
    html = to_html("Hello **all**\n\n- bus at 13:20\n- lobby\n\n<img src=x onerror=alert(1)>")
    assert "<strong>all</strong>" in html and "<li>bus at 13:20</li>" in html
    assert "<img" not in html and "&lt;img" in html
