"""The journey as data: stages, their normal durations and narratives come from journey.toml.

Marketing edits the TOML; this module checks it once and refuses it loudly, naming the bad entry, so
a typo shows up when the app starts rather than on a buyer's tracker.
"""

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app import placeholders

JOURNEY_FILE = Path(__file__).resolve().parent / "journey.toml"
NARRATIVE_PLACEHOLDERS = ("name",)  # the car's nickname
DELIVERED = "delivered"
_DAY_FIELDS = ("min_days", "typical_days", "max_days")


@dataclass(frozen=True)
class Stage:
    """One stage and the normal range of days a car spends in it."""

    id: str
    label: str
    phrase: str  # finishes "Typically 24 days …", e.g. "at sea"
    min_days: int
    typical_days: int
    max_days: int
    narratives: tuple[str, ...]


@dataclass(frozen=True)
class Journey:
    stages: tuple[Stage, ...]
    port_lag_explainer: str
    facts: tuple[str, ...] = ()  # a small fact of the day for daily visitors
    explainer_video: str = ""  # an https link marketing may add in the studio

    def index(self, stage_id: str) -> int:
        return next(i for i, stage in enumerate(self.stages) if stage.id == stage_id)


@functools.cache
def journey() -> Journey:
    """The journey from the packaged TOML, read once per process."""
    return load_journey()


def load_journey(path: Path | None = None) -> Journey:
    path = path or JOURNEY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name} is not valid TOML: {error}") from None
    explainer = data.get("port_lag_explainer")
    if not isinstance(explainer, str) or not explainer.strip():
        raise ValueError(f"{path.name}: port_lag_explainer is missing or empty.")
    entries = data.get("stages")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path.name}: no [[stages]] found.")
    stages = tuple(_stage(entry, f"{path.name} stage {n}") for n, entry in enumerate(entries, start=1))
    _check_order(stages, path.name)
    facts = data.get("facts", [])
    if not isinstance(facts, list) or not all(isinstance(f, str) and f.strip() for f in facts):
        raise ValueError(f"{path.name}: facts must be a list of non-empty strings.")
    return Journey(stages=stages, port_lag_explainer=" ".join(explainer.split()), facts=tuple(facts))


def _stage(entry: object, where: str) -> Stage:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a table of fields.")
    stage_id = entry.get("id")
    if not isinstance(stage_id, str) or not stage_id.strip():
        raise ValueError(f"{where}: missing id.")
    where = f"{where} ({stage_id!r})"
    for name in ("label", "phrase"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise ValueError(f"{where}: missing {name}.")
    for name in _DAY_FIELDS:
        value = entry.get(name)
        # bool is an int in Python; `min_days = true` is a typo, not a duration.
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{where}: {name} must be a whole number of days, 0 or more.")
    low, typical, high = (entry[name] for name in _DAY_FIELDS)
    if not low <= typical <= high:
        raise ValueError(f"{where}: needs min_days <= typical_days <= max_days (got {low}, {typical}, {high}).")
    return Stage(stage_id, entry["label"], entry["phrase"], low, typical, high, _narratives(entry, where))


def _narratives(entry: dict, where: str) -> tuple[str, ...]:
    narratives = entry.get("narratives")
    if not isinstance(narratives, list) or not narratives:
        raise ValueError(f"{where}: no narratives.")
    for n, text in enumerate(narratives, start=1):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: narrative {n} is empty.")
        try:  # a misspelt placeholder would otherwise only fail on the buyer's page
            placeholders.check(text, NARRATIVE_PLACEHOLDERS)
        except placeholders.PlaceholderError as error:
            raise ValueError(f"{where}: narrative {n} has a bad placeholder ({error}).") from None
    return tuple(narratives)


def _check_order(stages: tuple[Stage, ...], filename: str) -> None:
    seen: set[str] = set()
    for stage in stages:
        if stage.id in seen:
            raise ValueError(f"{filename}: stage {stage.id!r} appears twice.")
        seen.add(stage.id)
    # Orders are marked finished by reaching this stage (fleet counts, the tracker's delivered state).
    if stages[-1].id != DELIVERED:
        raise ValueError(f"{filename}: the last stage must be {DELIVERED!r}, not {stages[-1].id!r}.")


def journey_with(base: Journey, values: Mapping[str, Mapping]) -> Journey:
    """The journey with the published (or previewed) stage stories and port-lag explainer."""
    stages = tuple(
        dataclasses.replace(stage, narratives=tuple(values[f"narrative:{stage.id}"]["variants"]))
        if f"narrative:{stage.id}" in values
        else stage
        for stage in base.stages
    )
    explainer = values.get("explainer", {})
    return dataclasses.replace(
        base,
        stages=stages,
        port_lag_explainer=explainer.get("text", base.port_lag_explainer),
        explainer_video=explainer.get("video_url", base.explainer_video),
    )
