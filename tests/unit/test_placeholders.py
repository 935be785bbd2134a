"""The strict substitute for copy: bare names only, checked at save time the way it fills."""

import pytest

from app.placeholders import PlaceholderError, check, fill


@pytest.mark.parametrize(
    "copy", ["{name.__class__}", "{a.b}", "{name!r}", "{x:y}", "{name:>999}", "{0}", "{}", "{ name }"]
)
def test_anything_but_a_bare_name_is_refused_on_save_and_never_filled(copy):
    with pytest.raises(PlaceholderError, match="not something we can fill in"):
        check(f"Hello {copy}", ["name", "a", "x"])
    with pytest.raises(PlaceholderError):
        fill(f"Hello {copy}", {"name": "McGregor", "a": "A", "x": "X"})


@pytest.mark.parametrize("copy", ["a { brace", "a } brace", "{{name}", "{name}}"])
def test_a_brace_without_its_partner_is_refused_on_save(copy):
    with pytest.raises(PlaceholderError, match="missing its partner"):
        check(copy, ["name"])


def test_names_are_filled_escaped_and_double_braces_are_literal():
    assert (
        fill("{{name}} is {name}, {{{name}}}", {"name": "<McGregor>"}, escape=str.upper)
        == "{name} is <MCGREGOR>, {<MCGREGOR>}"
    )
    check("{{name}} is {name}", ["name"])
    with pytest.raises(PlaceholderError, match=r"\{owner\} is not something we can fill in \(you can use: \{name\}\)"):
        check("{owner}", ["name"])
