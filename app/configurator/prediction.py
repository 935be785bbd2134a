"""What /build's browser needs to work out a pick's picture before the server answers (assets/predict.js).

Sent once per page (and again only if the catalogue changes): the URL parts of every option, the rules
(`requires`/`excludes`) and prices the smallest fix is chosen by, the words the picture's alt text is
made of, the slots a stack lays as pieces, and the asset version. The browser runs the same `choose`,
`RenderKey.url`, `stack_keys` and
`build_description` as app.catalog.rules, app.render.key and app.render.alt, so a pick need not send
any of them; the server's answer still decides, and tests/unit/configurator/test_prediction.py fails if
the two ever disagree.
"""

import json
from typing import Any

from app.catalog import Build, Catalogue
from app.render.alt import alt_words
from app.render.key import piece_slots

FORMAT = "webp"  # the format the page's pictures are served in (RenderKey's default)


def catalogue_data(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue as predict.js reads it: options in manifest order (the fix's tie-break), empty fields left out."""
    options = []
    for option in catalogue.options:
        if option.slot not in catalogue.choice_slots:
            continue
        entry: dict[str, Any] = {"id": option.id, "slot": option.slot, "price": option.price}
        if option.custom:
            entry["custom"] = True
        elif option.hex:
            entry["hex"] = option.hex
        if alt := alt_words(option):
            entry["alt"] = alt
        if option.models is not None:
            entry["models"] = list(option.models)
        if option.requires:
            entry["requires"] = list(option.requires)
        if option.excludes:
            entry["excludes"] = list(option.excludes)
        if not option.draws:
            entry["draws"] = False
        options.append(entry)
    return {
        "version": catalogue.asset_version,
        "format": FORMAT,
        "widths": list(catalogue.widths),
        "slots": list(catalogue.choice_slots),
        "pieces": list(piece_slots(catalogue)),
        "views": {view_id: view.label for view_id, view in catalogue.views.items()},
        "models": {model.id: list(model.views) for model in catalogue.models},
        "names": {model.id: model.name for model in catalogue.models},
        "options": options,
    }


def catalogue_json(catalogue: Catalogue) -> str:
    return json.dumps(catalogue_data(catalogue), separators=(",", ":"))


def build_data(build: Build) -> dict[str, Any]:
    """A build as predict.js holds it (the page reads it from the state's model_id, choice_ids and hex)."""
    return {"model": build.model, "choices": dict(build.choices), "hex": build.hex}
