"""Option rules: validated at load, explained to customers, and repaired with the smallest change."""

import itertools
import random
import tomllib
from pathlib import Path

import pytest

from app import settings
from app.catalog import Build, BuildError, Catalogue, ManifestError, parse_catalogue, rules
from app.catalog.pricing import quote


def _option(data: dict, option_id: str) -> dict:
    return next(o for o in data["options"] if o["id"] == option_id)


def _with_rules(data: dict) -> dict:
    """The synthetic manifest plus a few rules, and a roof-black cheaper than roof-white for tie-breaks."""
    _option(data, "stripes-black")["excludes"] = ["midnight-black"]
    _option(data, "badge-sport")["excludes"] = ["roof-body"]
    _option(data, "mirrors-chrome")["requires"] = ["roof-black"]
    _option(data, "roof-black")["price"] = 250
    return data


@pytest.fixture
def catalogue(manifest_data: dict, layers_dir: Path) -> Catalogue:
    return parse_catalogue(_with_rules(manifest_data), layers_dir)


def _problem(data: dict, layers_dir: Path) -> str:
    with pytest.raises(ManifestError) as info:
        parse_catalogue(data, layers_dir)
    return str(info.value)


# ---------------------------------------------------------------- validation at load


def test_rules_load_and_exclusion_is_symmetric(catalogue: Catalogue) -> None:
    assert catalogue.option("mirrors-chrome").requires == ("roof-black",)
    assert catalogue.option("stripes-black").excludes == ("midnight-black",)
    assert catalogue.clashes("midnight-black") == {"stripes-black"}
    assert catalogue.clashes("stripes-black") == {"midnight-black"}
    assert catalogue.clashes("snow-white") == frozenset()


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        (
            lambda d: _option(d, "stripes-black").update(excludes=["midnight-blak"]),
            "options[10] 'stripes-black': excludes lists 'midnight-blak', which is not an option",
        ),
        (
            lambda d: _option(d, "mirrors-chrome").update(requires=["roof-golden"]),
            "options[8] 'mirrors-chrome': requires lists 'roof-golden', which is not an option",
        ),
        (
            lambda d: _option(d, "badge-sport").update(excludes=["badge-sport"]),
            "options[14] 'badge-sport': excludes lists the option itself",
        ),
        (
            lambda d: _option(d, "roof-white").update(requires=["roof-black"]),
            "options[4] 'roof-white': requires 'roof-black' from its own slot 'roof'",
        ),
        (
            lambda d: _option(d, "badge-sport").update(requires=["roof-body"]),
            "options[14] 'badge-sport': both requires and excludes 'roof-body'",
        ),
        (
            lambda d: _option(d, "badge-sport").update(requires=[3]),
            "options[14] 'badge-sport': requires must be a list of option ids",
        ),
        (
            lambda d: _option(d, "badge-sport").update(excludes="roof-body"),
            "options[14] 'badge-sport': field 'excludes' must be list, not str",
        ),
        (
            # The rally bar is hatch-only, so chrome mirrors could never be had on the estate.
            lambda d: _option(d, "mirrors-chrome").update(requires=["badgebar-rally"]),
            "options[8] 'mirrors-chrome': can never be chosen on the Estate ('estate'): "
            "it requires 'badgebar-rally', not offered on that model",
        ),
        (
            # Sport badge needs chrome mirrors, which need the black roof; but sport excludes that roof.
            lambda d: _option(d, "badge-sport").update(requires=["mirrors-chrome"], excludes=["roof-black"]),
            "options[14] 'badge-sport': can never be chosen on the Hatch ('hatch'): no build satisfies its rules",
        ),
        (
            lambda d: _option(d, "badge-classic").update(excludes=["wheels-turbine"]),
            "models[1] 'estate': the defaults break a rule: Classic badge can't go with 16-inch turbine wheels.",
        ),
    ],
)
def test_bad_rules_name_the_entry(manifest_data: dict, layers_dir: Path, break_it, expected: str) -> None:
    break_it(_with_rules(manifest_data))
    assert expected in _problem(manifest_data, layers_dir)


def test_defaults_breaking_a_rule_name_each_model(manifest_data: dict, layers_dir: Path) -> None:
    _option(manifest_data, "mirrors-body")["excludes"] = ["badge-classic"]
    message = _problem(manifest_data, layers_dir)
    assert "models[0] 'hatch': the defaults break a rule" in message
    assert "models[1] 'estate': the defaults break a rule" in message


def test_hatch_only_requirement_must_be_declared(manifest_data: dict, layers_dir: Path) -> None:
    _option(manifest_data, "mirrors-chrome").update(requires=["badgebar-rally"], models=["hatch"])
    assert parse_catalogue(manifest_data, layers_dir).option("mirrors-chrome").models == ("hatch",)


REAL_MANIFEST = settings.LAYERS_DIR / "manifest.toml"
real = pytest.mark.skipif(not REAL_MANIFEST.exists(), reason="the layer library is not in this checkout")


@real
def test_real_chequered_mirrors_would_be_unreachable_on_the_convertible() -> None:
    data = tomllib.loads(REAL_MANIFEST.read_text(encoding="utf-8"))
    _option(data, "mirrors-chequer").pop("models")
    message = _problem(data, settings.LAYERS_DIR)
    assert "'mirrors-chequer': can never be chosen on the Convertible" in message
    assert "requires 'roof-union', not offered on that model" in message


@real
def test_real_manifest_rules_work_end_to_end() -> None:
    data = tomllib.loads(REAL_MANIFEST.read_text(encoding="utf-8"))
    catalogue = parse_catalogue(data, settings.LAYERS_DIR, check_files=False)
    hatch = catalogue.build_from("hatch")
    blocked = rules.why_not(catalogue, hatch, "stripes-single-red")
    assert blocked.reason == "Not with Chili Red."
    assert blocked.fix.build.choice("colour") == "pepper-white"  # free like Chili Red, first in the manifest
    assert rules.why_not(catalogue, hatch, "mirrors-chequer").fix.build.choice("roof") == "roof-union"
    assert rules.why_not(catalogue, catalogue.build_from("convertible"), "mirrors-chequer").reason == (
        "Only on the Hatch."
    )


# ---------------------------------------------------------------- problems()


def test_problems_of_a_valid_build_is_empty(catalogue: Catalogue) -> None:
    assert rules.problems(catalogue, catalogue.build_from("hatch")) == []


def test_problems_name_both_options_once(catalogue: Catalogue) -> None:
    build = Build(
        "hatch",
        (
            ("colour", "midnight-black"),
            ("roof", "roof-body"),
            ("mirrors", "mirrors-chrome"),
            ("stripes", "stripes-black"),
            ("badge_bar", "badgebar-none"),
            ("badge", "badge-sport"),
            ("wheels", "wheels-spoke"),
        ),
        "#000000",
    )
    assert rules.problems(catalogue, build) == [
        "Chrome mirror caps can't go without the Black roof.",
        "Black bonnet stripes can't go with Midnight Black.",
        "Sport badge can't go with Body-coloured roof.",
    ]


# ---------------------------------------------------------------- why_not()


def test_allowed_choice_is_not_blocked(catalogue: Catalogue) -> None:
    build = catalogue.build_from("hatch")
    assert rules.why_not(catalogue, build, "stripes-black") is None
    assert rules.why_not(catalogue, build, build.choice("roof")) is None


def test_excluded_choice_gets_reason_and_smallest_fix(catalogue: Catalogue) -> None:
    build = catalogue.build_from("hatch", {"colour": "midnight-black"})
    blocked = rules.why_not(catalogue, build, "stripes-black")
    assert blocked.reason == "Not with Midnight Black."
    # chili-red and snow-white both cost 0 (a 250 drop): the tie goes to manifest order.
    assert blocked.fix.build == catalogue.build_from("hatch", {"colour": "chili-red", "stripes": "stripes-black"})
    assert [(c.slot, c.before, c.after) for c in blocked.fix.changes] == [
        ("colour", "midnight-black", "chili-red"),
        ("stripes", "stripes-none", "stripes-black"),
    ]
    assert blocked.fix.price_delta == 450 - 250
    assert blocked.fix.describe() == "Switch Midnight Black to Chili Red (total +£200)"


def test_exclusion_blocks_from_the_other_side_too(catalogue: Catalogue) -> None:
    build = catalogue.build_from("hatch", {"stripes": "stripes-black"})
    blocked = rules.why_not(catalogue, build, "midnight-black")
    assert blocked.reason == "Not with Black bonnet stripes."
    assert blocked.fix.build.choice("stripes") == "stripes-none"


def test_smallest_fix_prefers_the_smaller_price_difference(catalogue: Catalogue) -> None:
    estate = catalogue.build_from("estate")  # body-coloured roof, which the sport badge excludes
    blocked = rules.why_not(catalogue, estate, "badge-sport")
    assert blocked.reason == "Not with Body-coloured roof."
    # roof-black (250) is closer in price than roof-white (300), though roof-white comes first.
    assert blocked.fix.build.choice("roof") == "roof-black"
    assert blocked.fix.price_delta == 80 + 250


def test_requirement_reason_and_fix(catalogue: Catalogue) -> None:
    blocked = rules.why_not(catalogue, catalogue.build_from("hatch"), "mirrors-chrome")
    assert blocked.reason == "Needs the Black roof."
    assert blocked.fix.build.choice("roof") == "roof-black"
    assert blocked.fix.price_delta == 120 + 250 - 300
    assert blocked.fix.describe() == "Switch White roof to Black roof (total +£70)"


def test_unoffered_option_has_no_fix(catalogue: Catalogue) -> None:
    blocked = rules.why_not(catalogue, catalogue.build_from("estate"), "badgebar-rally")
    assert blocked == rules.Blocked("Only on the Hatch.", None)
    assert rules.why_not(catalogue, catalogue.build_from("estate"), "roof-gold").fix is None


def _brute_force_best(catalogue: Catalogue, build: Build, option_id: str) -> tuple[int, int]:
    """(other changes, |price change|) of the best valid build with the option: by trying every build."""
    option = catalogue.option(option_id)
    menus = [
        [o.id for o in catalogue.options_for(build.model, s) if not o.custom or o.id == build.choice(s)]
        for s in catalogue.choice_slots
    ]
    price = sum(catalogue.option(i).price for i in build.option_ids)
    best = None
    for combo in itertools.product(*menus):
        if combo[catalogue.choice_slots.index(option.slot)] != option_id:
            continue
        candidate = Build(build.model, tuple(zip(catalogue.choice_slots, combo, strict=True)), build.hex)
        if rules.problems(catalogue, candidate):
            continue
        changes = sum(a != b for a, b in zip(combo, build.option_ids, strict=True) if a != option_id)
        key = (changes, abs(sum(catalogue.option(i).price for i in combo) - price))
        best = key if best is None or key < best else best
    return best


def test_fix_is_never_bigger_than_any_other_valid_build(catalogue: Catalogue) -> None:
    rng, checked = random.Random(7), 0
    for _ in range(40):
        model = rng.choice(catalogue.models).id
        build, _ = rules.nearest_valid(
            catalogue,
            model,
            {s: rng.choice(catalogue.options_for(model, s)).id for s in catalogue.choice_slots},
            "#123",
        )
        for option in catalogue.options:
            blocked = rules.why_not(catalogue, build, option.id)
            if blocked is None or blocked.fix is None:
                continue
            fix = blocked.fix
            assert rules.problems(catalogue, fix.build) == []
            assert fix.build.choice(option.slot) == option.id
            others = sum(c.after != option.id for c in fix.changes)
            assert (others, abs(quote(catalogue, fix.build).total - quote(catalogue, build).total)) == (
                _brute_force_best(catalogue, build, option.id)
            )
            checked += 1
    assert checked > 30  # the random builds really did run into the rules


# ---------------------------------------------------------------- choose()


def test_choose_without_conflict_has_no_notes(catalogue: Catalogue) -> None:
    build, notes = rules.choose(catalogue, catalogue.build_from("hatch"), "wheels-turbine")
    assert build.choice("wheels") == "wheels-turbine" and notes == []


def test_choose_with_conflict_says_what_else_changed(catalogue: Catalogue) -> None:
    start = catalogue.build_from("hatch", {"roof": "roof-black", "mirrors": "mirrors-chrome"})
    build, notes = rules.choose(catalogue, start, "roof-white")
    assert build.choice("roof") == "roof-white" and build.choice("mirrors") == "mirrors-body"
    assert notes == ["To fit the White roof, we switched Chrome mirror caps to Body-coloured mirrors."]


def test_choose_keeps_the_custom_colour_code(catalogue: Catalogue) -> None:
    start = catalogue.build_from("hatch", {"colour": "custom"}, "#123456")
    build, notes = rules.choose(catalogue, start, "stripes-black")
    assert (build.choice("colour"), build.hex, notes) == ("custom", "#123456", [])
    build, _ = rules.choose(catalogue, build, "snow-white")
    assert build.hex == "#FFFFFF"


def test_choose_refuses_what_the_model_does_not_offer(catalogue: Catalogue) -> None:
    with pytest.raises(BuildError, match=r"^Only on the Hatch\.$"):
        rules.choose(catalogue, catalogue.build_from("estate"), "badgebar-rally")


# ---------------------------------------------------------------- nearest_valid()


@pytest.mark.parametrize(
    ("model", "choices", "hex", "expected", "notes"),
    [
        ("hatch", {"roof": "roof-black"}, None, {"roof": "roof-black"}, []),
        (
            "hatch",
            {"roof": "roof-gold"},
            None,
            {"roof": "roof-white"},
            ["We couldn't find the option 'roof-gold', so you have the White roof."],
        ),
        (
            "hatch",
            {"roof": "chili-red"},
            None,
            {"roof": "roof-white"},
            ["We couldn't use Chili Red as your roof, so you have the White roof."],
        ),
        (
            "estate",
            {"badge_bar": "badgebar-rally"},
            None,
            {"badge_bar": "badgebar-none"},
            ["The Estate doesn't offer Rally badge bar, so you have No badge bar."],
        ),
        (
            "van",
            {"wheels": "wheels-turbine"},
            None,
            {"wheels": "wheels-turbine"},
            ["We couldn't find the model 'van', so you have the Hatch."],
        ),
        (
            "hatch",
            {"colour": "custom"},
            "#12",
            {"colour": "chili-red"},
            ["We couldn't read the colour code '#12', so you have Chili Red."],
        ),
        (
            "hatch",
            {"colour": "custom"},
            None,
            {"colour": "chili-red"},
            ["We couldn't read a colour code, so you have Chili Red."],
        ),
        ("hatch", {"colour": "custom"}, "abc", {"colour": "custom"}, []),
        ("hatch", None, None, {}, []),
        ("hatch", {"colour": "snow-white"}, "#123456", {"colour": "snow-white"}, []),
        (
            "hatch",
            {"colour": "midnight-black", "stripes": "stripes-black"},
            None,
            {"colour": "chili-red", "stripes": "stripes-black"},
            # Dropping the stripes would change the price by 450, the paint only by 250.
            ["Black bonnet stripes can't go with Midnight Black, so we switched Midnight Black to Chili Red."],
        ),
        ("hatch", {"spoiler": "big", 3: None}, None, {}, []),
    ],
)
def test_nearest_valid_corrects_and_says_so(catalogue: Catalogue, model, choices, hex, expected, notes) -> None:
    build, said = rules.nearest_valid(catalogue, model, choices, hex)
    model_id = model if model in ("hatch", "estate") else "hatch"
    assert build.model == model_id
    assert dict(build.choices) == {**catalogue.defaults(model_id), **expected}
    assert said == notes


JUNK = [
    None,
    "",
    " ",
    "hatch",
    "estate",
    "roof-black",
    "custom",
    "stripes-black",
    "midnight-black",
    "badgebar-rally",
    "mirrors-chrome",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "roof-white\x00",
    "ROOF-WHITE",
    "#123456",
    "fff",
    3,
    -1.5,
    True,
    [],
    ["roof-black"],
    {"a": 1},
    object(),
    b"roof-black",
]


def test_nearest_valid_never_raises_and_always_returns_a_valid_build(catalogue: Catalogue) -> None:
    rng = random.Random(42)
    keys = [*catalogue.choice_slots, "spoiler", "", None, 7]
    for _ in range(1500):
        choices = {rng.choice(keys): rng.choice(JUNK) for _ in range(rng.randrange(0, 9))}
        if rng.random() < 0.1:
            choices = rng.choice(JUNK)
        build, notes = rules.nearest_valid(catalogue, rng.choice(JUNK), choices, rng.choice(JUNK))
        assert rules.problems(catalogue, build) == []
        custom = catalogue.option(build.choice("colour")).custom
        assert catalogue.build_from(build.model, dict(build.choices), build.hex if custom else None) == build
        assert all(isinstance(n, str) and len(n) < 300 for n in notes)


def test_nearest_valid_cuts_long_junk_short(catalogue: Catalogue) -> None:
    _, notes = rules.nearest_valid(catalogue, "hatch", {"roof": "r" * 5000}, None)
    assert len(notes) == 1 and len(notes[0]) < 120 and "…" in notes[0]
