"""The manifest loader: a good manifest loads; each kind of bad manifest names its bad entry."""

from pathlib import Path

import pytest
from PIL import Image

from app.catalog import ManifestError, load_catalogue, parse_catalogue


def test_loads_the_synthetic_manifest(layers_dir: Path) -> None:
    catalogue = load_catalogue(layers_dir)
    assert catalogue.asset_version == "test-1"
    assert catalogue.canvas == (160, 90)
    assert catalogue.widths == (160, 80, 40)
    assert catalogue.model("hatch").views == ("front-left", "side", "front")
    assert catalogue.view("front-left").label == "front three-quarter, left"
    assert catalogue.view("side").angle == 90
    assert catalogue.light_max == 2.0
    assert catalogue.layer_path("hatch", "side", "glass") == layers_dir / "img/hatch/side/glass.webp"
    assert catalogue.option("chili-red").hex == "#C0392B"
    assert catalogue.option("roof-body").draws is False
    assert catalogue.option("chili-red").draws is False
    assert catalogue.slots["badge_bar"].label == "Badge bar"
    assert catalogue.defaults("estate")["wheels"] == "wheels-turbine"
    assert [o.id for o in catalogue.options_for("estate", "badge_bar")] == ["badgebar-none"]
    assert [o.id for o in catalogue.options_for("hatch", "badge_bar")] == ["badgebar-none", "badgebar-rally"]


def _problem(data: dict, layers_dir: Path) -> str:
    with pytest.raises(ManifestError) as info:
        parse_catalogue(data, layers_dir)
    return str(info.value)


def _option(data: dict, option_id: str) -> dict:
    return next(o for o in data["options"] if o["id"] == option_id)


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        (
            lambda d: _option(d, "roof-white").update(slot="rooff"),
            "options[4] 'roof-white': slot 'rooff' is not one of choice_slots",
        ),
        (lambda d: _option(d, "roof-black").update(id="roof-white"), "options[5] 'roof-white': duplicate option id"),
        (
            lambda d: _option(d, "badgebar-rally").update(models=["hatchback"]),
            "options[12] 'badgebar-rally': models lists 'hatchback', which is not a model",
        ),
        (
            lambda d: _option(d, "chili-red").update(hex="#C0392"),
            "options[0] 'chili-red': hex '#C0392' is not of the form #RRGGBB",
        ),
        (lambda d: _option(d, "snow-white").pop("hex"), "options[1] 'snow-white': colour options need a hex"),
        (
            lambda d: _option(d, "stripes-black").update(price=-5),
            "options[10] 'stripes-black': price must not be negative",
        ),
        (
            lambda d: _option(d, "stripes-black").update(price="450"),
            "options[10] 'stripes-black': field 'price' must be int, not str",
        ),
        (
            lambda d: _option(d, "stripes-black").update(draws="yes"),
            "options[10] 'stripes-black': field 'draws' must be bool",
        ),
        (lambda d: _option(d, "stripes-black").pop("name"), "options[10] 'stripes-black': missing field 'name'"),
        (
            lambda d: _option(d, "stripes-black").update(colour="red"),
            "options[10] 'stripes-black': unknown field 'colour'",
        ),
        (
            lambda d: _option(d, "roof-black").update(hex="#000000"),
            "options[5] 'roof-black': only colour options have a hex",
        ),
        (
            lambda d: _option(d, "custom").update(hex="#123456"),
            "options[3] 'custom': the custom colour takes its hex from the customer",
        ),
        (lambda d: _option(d, "custom").pop("custom"), "options[3] 'custom': colour options need a hex"),
        (
            lambda d: _option(d, "roof-black").update(custom=True),
            "options[5] 'roof-black': custom = true is only for the colour slot",
        ),
        (
            lambda d: d["models"][0]["defaults"].update(roof="roof-purple"),
            "models[0] 'hatch': default roof 'roof-purple' is not an option",
        ),
        (
            lambda d: d["models"][0]["defaults"].update(roof="stripes-black"),
            "models[0] 'hatch': default roof 'stripes-black' belongs to slot 'stripes'",
        ),
        (
            lambda d: d["models"][1]["defaults"].update(badge_bar="badgebar-rally"),
            "models[1] 'estate': default badge_bar 'badgebar-rally' is not available on this model",
        ),
        (lambda d: d["models"][1]["defaults"].pop("wheels"), "models[1] 'estate': defaults is missing slot 'wheels'"),
        (
            lambda d: d["models"][1]["defaults"].update(colour="custom"),
            "models[1] 'estate': default colour cannot be the custom colour",
        ),
        (lambda d: d["models"][1].update(base_price=-1), "models[1] 'estate': base_price must not be negative"),
        (lambda d: d["models"][1].update(id="hatch"), "models[1] 'hatch': duplicate model id"),
        (lambda d: d["models"][0].pop("views"), "models[0] 'hatch': missing field 'views'"),
        (lambda d: d.update(canvas=[160]), "canvas [160]: must be [width, height]"),
        (
            lambda d: d.update(widths=[160, 800]),
            "widths [160, 800]: must be pixel widths no larger than the canvas width 160",
        ),
        (lambda d: d["slot_order"].remove("glass"), "slot_order: must include 'glass'"),
        (lambda d: d["slot_order"].remove("stripes"), "choice_slots: 'stripes' is missing from slot_order"),
        (lambda d: d["slots"].pop("wheels"), "slots.wheels: missing"),
        (lambda d: d.pop("currency"), "manifest: missing field 'currency'"),
        (lambda d: d.pop("paint"), "manifest: missing field 'paint'"),
        (lambda d: d["paint"].update(light_max=0), "paint: light_max 0 must be a number above 0"),
        (lambda d: d["paint"].update(light_max="2"), "paint: field 'light_max' must be int or float, not str"),
        (lambda d: d["views"].pop("side"), "models[0] 'hatch': view 'side' has no [views.side] table"),
        (lambda d: d["views"]["side"].pop("label"), "views.side: missing field 'label'"),
        (lambda d: d["views"]["side"].update(angle=360), "views.side: angle 360 must be degrees from 0 to 359"),
        (lambda d: d["views"]["side"].update(label=" "), "views.side: label must say the angle in words"),
        (lambda d: d.update(layer_dir="../elsewhere"), "layer_dir '../elsewhere': must be a folder name"),
    ],
)
def test_bad_manifest_names_the_entry(manifest_data: dict, layers_dir: Path, break_it, expected: str) -> None:
    break_it(manifest_data)
    assert expected in _problem(manifest_data, layers_dir)


def test_slot_with_no_option_on_a_model_is_named(manifest_data: dict, layers_dir: Path) -> None:
    for option in manifest_data["options"]:
        if option["slot"] == "mirrors":
            option["models"] = ["hatch"]
    assert "models[1] 'estate': no 'mirrors' option is available on this model" in _problem(manifest_data, layers_dir)


def test_missing_layer_file_is_named(layers_dir: Path) -> None:
    (layers_dir / "img/hatch/front/stripes/stripes-black.webp").unlink()
    with pytest.raises(
        ManifestError, match=r"option 'stripes-black': layer file img/hatch/front/stripes/stripes-black.webp is missing"
    ):
        load_catalogue(layers_dir)


def test_wrong_size_layer_is_named(layers_dir: Path) -> None:
    Image.new("RGBA", (100, 90)).save(layers_dir / "img/estate/side/glass.webp", lossless=True)
    with pytest.raises(ManifestError, match=r"img/estate/side/glass.webp is 100x90, not the canvas 160x90"):
        load_catalogue(layers_dir)


def test_a_png_in_the_layer_library_is_named(layers_dir: Path) -> None:
    Image.new("RGBA", (160, 90)).save(layers_dir / "img/hatch/side/glass.webp", "PNG")
    with pytest.raises(ManifestError, match=r"img/hatch/side/glass.webp is PNG, not WEBP"):
        load_catalogue(layers_dir)


def test_gloss_must_have_no_alpha(layers_dir: Path) -> None:
    Image.new("RGBA", (160, 90), (0, 0, 0, 0)).save(layers_dir / "img/hatch/side/body_gloss.webp", lossless=True)
    with pytest.raises(ManifestError, match=r"hatch/side/body_gloss.webp: mode is RGBA, must be RGB"):
        load_catalogue(layers_dir)


def test_unreadable_toml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text("asset_version = ", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid TOML"):
        load_catalogue(tmp_path)


def test_every_problem_is_listed(manifest_data: dict, layers_dir: Path) -> None:
    _option(manifest_data, "roof-white")["price"] = -1
    _option(manifest_data, "roof-black")["price"] = -2
    message = _problem(manifest_data, layers_dir)
    assert "'roof-white': price" in message and "'roof-black': price" in message
