"""The club's default mail copy (Markdown with {placeholders}), which marketing will edit in the studio."""

from dataclasses import dataclass

from app import placeholders
from app.studio import live


class TemplateError(ValueError):
    """Copy whose placeholders we can't fill; the message names the one that's wrong."""


@dataclass(frozen=True)
class MailTemplate:
    subject: str  # plain text with {placeholders}
    body: str  # Markdown with {placeholders}; "{{" and "}}" for a literal brace


# Which placeholders each kind of mail can use, and what they become (shown to marketing in the studio).
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "birthday_card": {
        "name": "the car's nickname, or 'Your Hatch' when it has none (start a sentence with it)",
        "owner": "the owner's first name",
        "age": "the car's age in words: 'one', 'two', ...",
        "age_years": "'One year', 'Two years', ...",
        "ordered_on": "the day it was ordered, e.g. 3 March 2025",
        "built_on": "the day it was built",
        "vessel": "the ship it crossed the sea on",
        "days_at_sea": "how long it was at sea, e.g. '24 days'",
        "delivered_on": "the day it came home",
    },
    "stage_news": {
        "name": "the car's nickname, or 'Your Hatch' when it has none (start a sentence with it)",
        "owner": "the buyer's first name",
        "stage": "the stage just reached, e.g. 'At sea'",
        "narrative": "the tracker's words for that stage",
        "tracking_link": "the buyer's private tracking link",
    },
    "feature_note": {},
}

DEFAULTS: dict[str, MailTemplate] = {
    "birthday_card": MailTemplate(
        subject="Happy birthday, {name}! {age_years} home today",
        body="""\
Hello {owner},

{name} is {age} today! {age_years} of school runs, long ways home and being admired in car parks. \
We'd bake a cake, but it would only get crumbs on the upholstery.

We kept the baby book:

- **Ordered:** {ordered_on}
- **Built:** {built_on}
- **At sea:** {days_at_sea} aboard {vessel}
- **Came home:** {delivered_on}

A wash, a long drive, or both: it's the least a birthday deserves. Many happy returns (of the road kind).

With love from the Motorjoy club
""",
    ),
    "stage_news": MailTemplate(
        subject="{name}: {stage}",
        body="""\
Hello {owner},

{narrative}

[Follow along on your private tracker]({tracking_link}). It's yours alone, so keep it to yourself.

The Motorjoy club
""",
    ),
    "feature_note": MailTemplate(
        subject="Something new in the club",
        body="""\
Hello from the club,

We've been tinkering in the garage, and there's something new on the site we think you'll like.

**What it is:** one or two sentences, no jargon.

[Have a look](https://motorjoy.example/) and tell us what you think. We read every reply, \
usually with tea.

The Motorjoy club
""",
    ),
}


def template(kind: str) -> MailTemplate:
    """The copy for one kind of club mail ('birthday_card', 'stage_news' or 'feature_note'), as published
    in the studio, else as shipped."""
    if kind not in DEFAULTS:
        raise TemplateError(f"There is no mail template called {kind!r}; there are {', '.join(DEFAULTS)}.")
    edited = live.values().get(f"mail:{kind}")
    return MailTemplate(edited["subject"], edited["body"]) if edited else DEFAULTS[kind]


def fill(text: str, values: dict[str, str], escape=lambda value: value) -> str:
    """The copy with each {placeholder} replaced by its `escape`d value, and "{{"/"}}" by a brace."""
    try:
        return placeholders.fill(text, values, escape)
    except placeholders.PlaceholderError as error:
        raise TemplateError(str(error)) from None
