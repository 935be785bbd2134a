"""The drawing process: the same pictures as drawing in-process, at a lower priority, and back after a crash."""

import os
import pickle
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog import Catalogue
from app.render import CarPictures, render_key
from app.render.drawing import DrawingProcess, DrawingStopped, pickled
from app.render.encode import LIVE_METHOD, PRECOMPUTE_METHOD


@pytest.fixture(scope="module")
def drawer() -> Iterator[DrawingProcess]:
    drawing = DrawingProcess()
    yield drawing
    drawing.close()


def _custom(catalogue: Catalogue, hex: str, view: str = "side", width: int = 160):
    return render_key(catalogue, catalogue.build_from("hatch", {"colour": "custom"}, hex=hex), view, width)


def _child_pid(drawer: DrawingProcess) -> int:
    pool = drawer._executor()
    (pid,) = pool._processes  # one drawing process per worker
    return pid


def test_a_catalogue_survives_the_trip_to_the_drawing_process(catalogue: Catalogue):
    again = pickle.loads(pickled(catalogue))
    assert again == catalogue
    assert again.option("custom").custom and again.model("hatch").views == catalogue.model("hatch").views


def test_the_drawing_process_draws_what_this_process_would(catalogue: Catalogue, tmp_path: Path, drawer):
    here = CarPictures(catalogue, tmp_path / "here")
    there = CarPictures(catalogue, tmp_path / "there", drawer=drawer)
    for key in (_custom(catalogue, "#1A7F5A"), _custom(catalogue, "#E0B020", view="front", width=80)):
        for method in (LIVE_METHOD, PRECOMPUTE_METHOD):
            assert there.render(key, method) == here.render(key, method)
    # Through the cache, as the picture route asks: drawn there, kept here.
    key = _custom(catalogue, "#334455")
    assert there.picture(key) == here.render(key)
    assert there.cache.on_disk(key)


def test_the_drawing_process_runs_below_the_web_worker(catalogue: Catalogue, drawer):
    drawer.draw(pickled(catalogue), _custom(catalogue, "#101010"), LIVE_METHOD)
    assert os.getpriority(os.PRIO_PROCESS, _child_pid(drawer)) >= os.getpriority(os.PRIO_PROCESS, 0) + drawer.niceness


def test_a_killed_drawing_process_is_replaced_for_the_next_picture(catalogue: Catalogue, tmp_path: Path):
    drawer = DrawingProcess()
    try:
        pictures = CarPictures(catalogue, tmp_path / "cache", drawer=drawer)
        first = pictures.render(_custom(catalogue, "#202020"))
        dead = _child_pid(drawer)
        os.kill(dead, signal.SIGKILL)
        again = pictures.render(_custom(catalogue, "#202020"))
        assert again == first
        assert _child_pid(drawer) != dead
    finally:
        drawer.close()


def test_layers_are_decoded_only_in_the_drawing_process(catalogue: Catalogue, tmp_path: Path, drawer):
    pictures = CarPictures(catalogue, tmp_path / "cache", drawer=drawer)
    pictures.start(pause=0).join(timeout=300)
    assert pictures.cache.on_disk(next(pictures.precompute_keys()))  # the precompute drew there
    assert pictures.layers._library is None  # and nothing was decoded in the web worker


def test_a_drawing_after_shutdown_says_so(catalogue: Catalogue):
    drawer = DrawingProcess()
    drawer.draw(pickled(catalogue), _custom(catalogue, "#303030"), LIVE_METHOD)
    drawer._executor().shutdown()  # as the interpreter does to every pool when the server stops
    with pytest.raises(DrawingStopped):
        drawer.draw(pickled(catalogue), _custom(catalogue, "#303030"), LIVE_METHOD)
