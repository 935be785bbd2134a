"""Nudge settings: defaults from code, which the studio may override; timing also from the environment."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

LINES = (
    "You've been polishing pixels for a while. Your real car would love a polish too.",
    "The best view in the house is through a windscreen. Go and find it.",
    "Screens don't have corners worth taking. Country lanes do.",
    "Your eyes have done more laps of this page than a test driver at the proving ground.",
    "Fun fact: nobody ever said 'I wish I'd spent more time configuring and less time driving'.",
    "The configurator will still be here. The sunset won't wait.",
    "Blink twice if you need a break. We'll keep your build warm.",
    "Even the plant gives its robots a tea break. Your turn.",
    "Your car is in good hands. Go and stretch your own.",
    "We checked: the open road has excellent resolution.",
    "This is your dashboard speaking: time for a pit stop.",
    "Put the kettle on, roll the window down, come back with fresh eyes.",
)


SNOOZE_WORDS = {1: "One more minute", 5: "Five more minutes", 10: "Ten more minutes"}
# The dialog's answers, as its buttons say them (the report names them the same way).
ROAD_WORDS = "Back to the road"
OFF_WORDS = "Don't nudge me on this device"


@dataclass(frozen=True)
class NudgeSettings:
    threshold_seconds: int = 25 * 60  # of ACTIVE time in one visit
    snooze_seconds: int = 5 * 60
    daily_cap: int = 3
    idle_seconds: int = 60  # no touch for this long and the clock stops
    enabled: bool = True
    lines: tuple[str, ...] = LINES


def env_overrides(settings: NudgeSettings) -> NudgeSettings:
    """`MOTORJOY_NUDGE_THRESHOLD_SECONDS` and `MOTORJOY_NUDGE_SNOOZE_SECONDS` win over the studio's
    timing (an operator's switch; the tests use a few seconds)."""
    return replace(
        settings,
        threshold_seconds=_seconds("MOTORJOY_NUDGE_THRESHOLD_SECONDS", settings.threshold_seconds),
        snooze_seconds=_seconds("MOTORJOY_NUDGE_SNOOZE_SECONDS", settings.snooze_seconds),
    )


def _seconds(variable: str, default: int) -> int:
    value = os.environ.get(variable, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def browser_config(settings: NudgeSettings, api_url: str) -> dict:
    """What the browser's counter needs (milliseconds), and where to report shown/answered nudges."""
    return {
        "enabled": settings.enabled,
        "thresholdMs": settings.threshold_seconds * 1000,
        "snoozeMs": settings.snooze_seconds * 1000,
        "dailyCap": settings.daily_cap,
        "idleMs": settings.idle_seconds * 1000,
        "lines": list(settings.lines),
        "title": "Save your retinas for the road",
        "roadLabel": ROAD_WORDS,
        "snoozeLabel": snooze_words(settings),
        "offLabel": OFF_WORDS,
        "api": api_url,
    }


def snooze_words(settings: NudgeSettings) -> str:
    minutes = max(1, round(settings.snooze_seconds / 60))
    return SNOOZE_WORDS.get(minutes, f"{minutes} more minutes")


def answer_words(settings: NudgeSettings) -> dict[str, str]:
    """Each answer's action id and the words on its button."""
    return {"road": ROAD_WORDS, "snooze": snooze_words(settings), "off": OFF_WORDS}


def nudges_with(base: NudgeSettings, values: Mapping[str, Mapping]) -> NudgeSettings:
    """The nudge settings with the published (or previewed) lines and timing."""
    nudge = values.get("nudge")
    if not nudge:
        return base
    return replace(
        base,
        lines=tuple(nudge["lines"]),
        threshold_seconds=nudge["threshold_minutes"] * 60,
        snooze_seconds=nudge["snooze_minutes"] * 60,
    )


def nudge_settings(values: Mapping[str, Mapping]) -> NudgeSettings:
    """The nudge settings in force under these published values; the environment's overrides (tests use seconds) win."""
    return env_overrides(nudges_with(NudgeSettings(), values))
