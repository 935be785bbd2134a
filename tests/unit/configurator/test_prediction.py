"""The browser's prediction (assets/predict.js) against the server's choose() and picture URLs, on many builds,
and the page's address the browser writes against builds.address_of.

The page shows a pick's picture before the server answers only if both sides agree; this fails as soon
as the rules or the URL design change on one side and not the other. The address is written in the
browser alone: a reload or a shared link must open exactly the build on screen.
"""

import dataclasses
import json
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app.catalog import Build, BuildError, Catalogue, load_catalogue
from app.catalog.colour_names import colour_name
from app.catalog.rules import choose, nearest_valid
from app.configurator.builds import address_of
from app.configurator.codes import new_code
from app.configurator.prediction import build_data, catalogue_data
from app.render import CarPictures
from app.render.alt import build_description

ROOT = Path(__file__).resolve().parents[3]
BUN = Path(sys.executable).parent / "bun"


def with_more_rules(catalogue: Catalogue) -> Catalogue:
    """The real catalogue plus rules across more slots, so fixes that switch two slots and price ties happen."""
    extra = {
        "mirrors-chrome": {"requires": ("roof-black",)},
        "wheels-dish": {"excludes": ("roof-white", "badgebar-rally")},
        "badge-sport": {"excludes": ("mirrors-body",)},
    }
    options = tuple(
        dataclasses.replace(o, **{k: o.__dict__[k] + v for k, v in extra.get(o.id, {}).items()})
        for o in catalogue.options
    )
    known = {o.id for o in options}
    assert all(i in known for rules in extra.values() for ids in rules.values() for i in ids)
    return dataclasses.replace(catalogue, options=options)


def random_builds(catalogue: Catalogue, rng: random.Random, count: int) -> list[Build]:
    builds = []
    for _ in range(count):
        model = rng.choice(catalogue.models)
        choices = {s: rng.choice(catalogue.options_for(model.id, s)).id for s in catalogue.choice_slots}
        hex_colour = f"#{rng.randrange(1 << 24):06X}"
        builds.append(nearest_valid(catalogue, model.id, choices, hex_colour)[0])
    return builds


def server_answers(
    catalogue: Catalogue, builds: list[Build], rng: random.Random
) -> tuple[list[dict], list[dict | None]]:
    """Every option of the catalogue picked on every build: the cases for the browser and the server's answers.

    Each case is on one of the model's views, and one in ten is a build just saved (its address is its code)."""
    pictures = CarPictures(catalogue, Path("/nonexistent"))  # URLs and alt texts only: nothing is drawn
    cases, expected = [], []
    for build in builds:
        for option in catalogue.options:
            view = rng.choice(catalogue.model(build.model).views)
            code = new_code() if rng.random() < 0.1 else ""
            case = {"build": build_data(build), "option": option.id, "paintWord": colour_name(build.hex)}
            cases.append({**case, "view": view, "code": code})
            try:
                after, _notes = choose(catalogue, build, option.id)
            except BuildError:
                expected.append(None)
                continue
            frames = pictures.spin_frames(after)
            address = address_of(catalogue, after, view, code)
            expected.append({"build": build_data(after), "frames": frames, "address": address})
    return cases, expected


# Texts urlencode writes in every way there is: kept, "+" for a space, %XX for the rest (UTF-8).
TEXTS = ["hatch", "roof-black", "a b", "_.-~", "!'()*", "#1A2B3C", "&=+/?%", "Señor Zoom", "日本", "😀", ""]


def run_browser(tmp_path: Path, catalogue: Catalogue, cases: list[dict]) -> dict:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"catalogue": catalogue_data(catalogue), "cases": cases, "texts": TEXTS}))
    run = subprocess.run([str(BUN), "tests/js/predict_cases.js", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("more_rules", [False, True], ids=["published catalogue", "with more rules"])
def test_the_browser_predicts_the_servers_build_and_picture_urls(tmp_path: Path, more_rules: bool):
    catalogue = load_catalogue()
    catalogue = with_more_rules(catalogue) if more_rules else catalogue
    rng = random.Random(16)
    cases, expected = server_answers(catalogue, random_builds(catalogue, rng, 60), rng)
    assert sum(e is None for e in expected) and sum(e is not None for e in expected) > 1000  # both kinds occur
    addresses = [e["address"] for e in expected if e]
    assert {a.startswith("/build/") for a in addresses} == {True, False}  # saved codes and queries
    assert {"hex=" in a for a in addresses} == {True, False}  # the custom paint and the catalogue's
    swaps = [
        e
        for c, e in zip(cases, expected, strict=True)
        if e
        and sum(a != b for a, b in zip(e["build"]["choices"].values(), c["build"]["choices"].values(), strict=True)) > 1
    ]
    assert swaps, "no pick here needed a fix: the cases don't test the rules"
    predicted = run_browser(tmp_path, catalogue, cases)["results"]
    wrong = [(c["build"], c["option"], p, e) for c, p, e in zip(cases, predicted, expected, strict=True) if p != e]
    assert not wrong, f"{len(wrong)} of {len(cases)} predictions differ; the first: {wrong[0]}"


def test_the_cases_describe_the_customers_own_paint_and_cars_with_many_extras():
    # The browser words every frame's alt text from the build (render.alt): the cases above hold them
    # to the server's only if they include a custom paint's word and long lists of extras (bun tests the short).
    catalogue = load_catalogue()
    descriptions = [build_description(catalogue, b) for b in random_builds(catalogue, random.Random(16), 60)]
    assert any("a custom " in d for d in descriptions)
    assert any(d.count(", ") >= 2 and " and " in d for d in descriptions)


def test_the_browser_encodes_an_address_as_urlencode_does(tmp_path: Path):
    encoded = run_browser(tmp_path, load_catalogue(), [])["texts"]
    assert encoded == [urlencode({"x": text})[2:] for text in TEXTS]
