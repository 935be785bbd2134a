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
    assert catalogue.model("hatch").views == ("side", "front")
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
    (layers_dir / "png/hatch/front/stripes/stripes-black.png").unlink()
    with pytest.raises(
        ManifestError, match=r"option 'stripes-black': layer file png/hatch/front/stripes/stripes-black.png is missing"
    ):
        load_catalogue(layers_dir)


def test_wrong_size_layer_is_named(layers_dir: Path) -> None:
    Image.new("RGBA", (100, 90)).save(layers_dir / "png/estate/side/glass.png")
    with pytest.raises(ManifestError, match=r"png/estate/side/glass.png is 100x90, not the canvas 160x90"):
        load_catalogue(layers_dir)


def test_mask_must_be_greyscale(layers_dir: Path) -> None:
    Image.new("RGB", (160, 90)).save(layers_dir / "png/hatch/side/body_mask.png")
    with pytest.raises(ManifestError, match=r"hatch/side/body_mask.png: mode is RGB, must be L"):
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
