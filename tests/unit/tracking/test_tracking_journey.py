"""journey.toml: the real copy loads, and a broken file is refused naming the bad entry."""

from datetime import timedelta

import pytest

from app.content import stages
from app.content.journey import journey, load_journey
from app.tracking.progress import progress
from tests.unit.tracking.tracking_data import NOW, SMALL_JOURNEY


def test_the_real_journey_loads_in_order_and_feeds_the_old_names():
    trip = journey()
    assert [s.id for s in trip.stages] == [
        "ordered",
        "scheduled",
        "built",
        "awaiting_transport",
        "at_sea",
        "port_processing",
        "at_dealer",
        "delivered",
    ]
    assert trip.stages == stages.JOURNEY and stages.STAGE_IDS[-1] == stages.DELIVERED
    assert {s.label for s in trip.stages} >= {"Scheduled for production", "At your dealer"}
    assert all(2 <= len(s.narratives) <= 3 for s in trip.stages)
    assert "customs" in trip.port_lag_explainer


def write(tmp_path, text):
    path = tmp_path / "journey.toml"
    path.write_text(text)
    return path


def test_a_valid_file_loads(tmp_path):
    trip = load_journey(write(tmp_path, SMALL_JOURNEY))
    assert trip.stages[2].max_days == 15 and trip.stages[2].narratives[1] == "{name} waves from the deck."


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("typical_days = 12\n", "", "'at_sea'.*typical_days"),
        ("min_days = 4\n", "min_days = 6\n", "'built'.*min_days <= typical_days <= max_days"),
        ("max_days = 15\n", "max_days = 11\n", "'at_sea'.*got 10, 12, 11"),
        ('id = "built"', 'id = "ordered"', "'ordered' appears twice"),
        ('narratives = ["{name} is ordered."]', "narratives = []", "'ordered'.*no narratives"),
        ('"{name} is built."', '"{nmae} is built."', "'built'.*narrative 1 has a bad placeholder"),
        ('label = "At sea"', "", "'at_sea'.*missing label"),
        ('id = "delivered"', 'id = "home"', "last stage must be 'delivered'"),
        ("min_days = 2\n", "min_days = true\n", "'ordered'.*min_days must be a whole number"),
        ('port_lag_explainer = "Ships are quicker than paperwork."', "", "port_lag_explainer"),
    ],
)
def test_a_broken_file_is_refused_naming_the_entry(tmp_path, old, new, message):
    assert old in SMALL_JOURNEY
    with pytest.raises(ValueError, match=message):
        load_journey(write(tmp_path, SMALL_JOURNEY.replace(old, new, 1)))


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not valid TOML"):
        load_journey(write(tmp_path, "[[stages]\n"))


def test_the_real_journey_reads_well_on_the_tracker():
    real = journey().stages[4]
    p = progress([("at_sea", NOW - timedelta(days=real.typical_days + 1))], "McGregor", "MJ4K7QX2", now=NOW)
    assert p.status_text.startswith(f"Typically {real.typical_days} days at sea; day {real.typical_days + 1}")
    assert "McGregor" in p.narrative and "{" not in p.narrative


@pytest.mark.parametrize("story", ["{name.__class__}", "{weather:sunny}", "{name!r}", "{name:>9}", "{0}", "a { brace"])
def test_a_story_that_reaches_past_a_bare_name_is_refused(tmp_path, story):
    broken = SMALL_JOURNEY.replace('"{name} is built."', f'"{story} is built."', 1)
    assert broken != SMALL_JOURNEY
    with pytest.raises(ValueError, match=r"'built'.*narrative 1 has a bad placeholder"):
        load_journey(write(tmp_path, broken))
