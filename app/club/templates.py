"""Every mail's default copy (Markdown with {placeholders}), which marketing edits in the studio."""

from collections.abc import Mapping
from dataclasses import dataclass

from app import placeholders


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
    "order_confirmation": {
        "name": "the car's nickname, or 'Your new car' when it has none (start a sentence with it)",
        "customer": "the buyer's full name, as the dealer typed it",
        "order_number": "the order number, e.g. MJ4K7QX2",
        "tracking_link": "the buyer's private tracking link",
    },
    "delay_notice": {
        "name": "the car's nickname, or 'Your car' when it has none (start a sentence with it)",
        "customer": "the buyer's full name",
        "order_number": "the order number",
        "stage": "the stage that is running late, e.g. 'Port processing'",
        "status": "how long it has been there against the norm, e.g. 'Day 9 of a typical 4.'",
        "window": "the honest new delivery window, e.g. 'Expected 12–19 May'",
        "tracking_link": "the buyer's private tracking link",
    },
    "question_answer": {
        "name": "the car's nickname, or 'Your Hatch' when it has none (start a sentence with it)",
        "owner": "the buyer's first name",
        "question": "what the buyer asked (their own words)",
        "answer": "the dealer's answer (their own words)",
        "dealer": "the name of the dealer who answered",
        "tracking_link": "the buyer's private tracking link, where the whole conversation is",
    },
    **{
        kind: {
            "name": "the inviter's car: its nickname, or 'Your Hatch' (start a sentence with it)",
            "owner": "the inviter's first name",
            "friend": "the friend's first name (nothing else about them, ever)",
            "invite_link": "the inviter's personal invite link, to share again",
            "tracking_link": "the inviter's own private tracking link",
        }
        for kind in ("referral_ordered", "referral_delivered")
    },
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
    "question_answer": MailTemplate(
        subject="{name}: an answer from {dealer}",
        body="""\
Hello {owner},

You asked: *{question}*

{dealer} says:

{answer}

The whole conversation is on [your private tracker]({tracking_link}), with a box for your next question.

The Motorjoy club
""",
    ),
    "referral_ordered": MailTemplate(
        subject="{friend} ordered a Motorjoy. Thank you, {owner}!",
        body="""\
Hello {owner},

Your friend {friend} has just ordered their own Motorjoy, and it started with your invite.

No points, no vouchers: just a proper thank-you from all of us. People like you are why the club \
feels like a club. We'll let you know when {friend}'s car is home.

[Your invite link]({invite_link}) still works, if anyone else has been eyeing {name}.

The Motorjoy club
""",
    ),
    "referral_delivered": MailTemplate(
        subject="{friend}'s car is home, thanks to you",
        body="""\
Hello {owner},

{friend}'s Motorjoy came home today. Somewhere, two of our cars are about to wave at each other in a \
car park, and that's your doing.

Thank you for bringing {friend} into the club.

The Motorjoy club
""",
    ),
}

# Sent to every buyer (not a club topic), so the words are kept close to what a receipt must say.
DEFAULTS["order_confirmation"] = MailTemplate(
    subject="Order {order_number}: {name} is on the way",
    body="""\
Hello {customer},

Thank you for your order {order_number}. From today you can follow {name} from the plant to your \
driveway on [your private tracker]({tracking_link}).

Keep this link to yourself: it is your private view of your car.

The Motorjoy club
""",
)
DEFAULTS["delay_notice"] = MailTemplate(
    subject="Order {order_number}: {name} is running late, and we're sorry",
    body="""\
Hello {customer},

We'd rather you heard it from us: {name} is taking longer than it should at the “{stage}” stage. {status}

Your baby is safe, just late. {window}, and we'll keep that estimate honest as things move. \
[Follow along on your private tracker]({tracking_link}).

If you'd like to talk it through, your dealer knows the whole story.

The Motorjoy club
""",
)


def template(kind: str, published: Mapping[str, Mapping]) -> MailTemplate:
    """The copy for one kind of mail (a key of DEFAULTS) as `published` in the studio, else as shipped.

    `published` is the content in force (app.content.live.values(), or a session's published values)."""
    if kind not in DEFAULTS:
        raise TemplateError(f"There is no mail template called {kind!r}; there are {', '.join(DEFAULTS)}.")
    edited = published.get(f"mail:{kind}")
    return MailTemplate(edited["subject"], edited["body"]) if edited else DEFAULTS[kind]


def fill(text: str, values: dict[str, str], escape=lambda value: value) -> str:
    """The copy with each {placeholder} replaced by its `escape`d value, and "{{"/"}}" by a brace."""
    try:
        return placeholders.fill(text, values, escape)
    except placeholders.PlaceholderError as error:
        raise TemplateError(str(error)) from None
