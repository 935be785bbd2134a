"""The picture service the app starts once: catalogue + decoded layers + cache, and the precompute thread."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from app import settings
from app.catalog import Build, Catalogue, load_catalogue
from app.render.alt import alt_text
from app.render.cache import DEFAULT_MEMORY_BYTES, PictureCache
from app.render.drawing import DrawingProcess, DrawingStopped, pickled
from app.render.encode import LIVE_METHOD, PRECOMPUTE_METHOD, encode
from app.render.key import PictureKey, RenderKey, every_stack_key, render_key, stack_keys
from app.render.layers import LayerLibrary, views_hero_first
from app.render.stack import picture_image

log = logging.getLogger(__name__)


class LazyLayers:
    """A catalogue's layer library, made on first use (each view then decodes on its own first use)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._library: LayerLibrary | None = None
        self._lock = threading.Lock()

    def get(self) -> LayerLibrary:
        if self._library is None:
            with self._lock:
                if self._library is None:
                    self._library = LayerLibrary(self.catalogue)
        return self._library


class CarPictures:
    """Everything needed to answer for a car picture; build one at start-up and share it.

    Decoding the layers takes seconds, so it happens on first use (or in `start`'s thread), never
    at import: parsing URLs and serving cached pictures only need the catalogue.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        cache_dir: Path,
        max_memory_bytes: int = DEFAULT_MEMORY_BYTES,
        layers: LazyLayers | None = None,
        max_disk_bytes: int | None = None,
        drawer: DrawingProcess | None = None,
    ) -> None:
        self.catalogue = catalogue
        disk_bytes = settings.picture_cache_bytes() if max_disk_bytes is None else max_disk_bytes
        self.cache = PictureCache(self.render, cache_dir, max_memory_bytes, disk_bytes)
        # Catalogues that differ only in prices or colours draw with the same layers, so they may share them.
        self.layers = layers or LazyLayers(catalogue)
        # The server's services draw in a drawing process (see app.render.drawing); scripts and tests here.
        self.drawer = drawer

    @property
    def library(self) -> LayerLibrary:
        return self.layers.get()

    def render(self, key: PictureKey, method: int = LIVE_METHOD, drawer: DrawingProcess | None = None) -> bytes:
        """Compose and encode without any cache (in `drawer`, else this service's drawing process, else here)."""
        drawer = drawer or self.drawer
        if drawer is not None:
            return drawer.draw(self._pickled_catalogue, key, method)
        return encode(picture_image(self.library, key), key.format, method)

    @functools.cached_property
    def _pickled_catalogue(self) -> bytes:
        return pickled(self.catalogue)

    def picture(self, key: PictureKey) -> bytes:
        """The picture's bytes through the cache."""
        return self.cache.get(key)

    def draw(self, key: PictureKey) -> bytes:
        """The bytes of a picture the cache was just found to lack (see `PictureCache.draw`)."""
        return self.cache.draw(key)

    async def draw_aside(self, key: PictureKey) -> bytes:
        """`draw`, for the event loop: in the drawing process, which stores the picture itself, awaited
        without a thread (see app.render.drawing); without a drawing process (scripts, tests), in a thread."""
        drawer = self.drawer
        if drawer is None:
            return await asyncio.to_thread(self.draw, key)
        store = (str(self.cache.directory), self.cache.max_disk_bytes)
        catalogue = self._pickled_catalogue
        return await self.cache.draw_aside(key, lambda: drawer.draw_and_store(catalogue, key, LIVE_METHOD, store))

    def key(self, build: Build, view: str, width: int, format: str = "webp") -> RenderKey:
        return render_key(self.catalogue, build, view, width, format)

    def alt(self, key: RenderKey) -> str:
        return alt_text(self.catalogue, key)

    def paths_and_alt(self, build: Build, view: str) -> tuple[list[str], str]:
        """The picture's path at every width (in `catalogue.widths` order) and its alt text."""
        keys = [self.key(build, view, width) for width in self.catalogue.widths]
        return [key.url() for key in keys], self.alt(keys[0])

    def stack_paths(self, build: Build, view: str) -> list[list[str]]:
        """The build's stack at one angle (app.render.stack): the base's path at every width, then each piece's."""
        by_width = [stack_keys(self.catalogue, build, view, width) for width in self.catalogue.widths]
        return [[key.url() for key in layer] for layer in zip(*by_width, strict=True)]

    def spin_frames(self, build: Build) -> list[dict]:
        """Every angle of the build in turning order: view id, spoken label, path per width, alt text, and
        the same picture as a stack (`stack_paths`).

        What assets/spin.js turns through; pages hand it over as JSON (see `spin_json`).
        """
        frames = []
        for view in self.catalogue.model(build.model).views:
            paths, alt = self.paths_and_alt(build, view)
            label = self.catalogue.view(view).label
            frames.append(
                {"view": view, "label": label, "paths": paths, "alt": alt, "stack": self.stack_paths(build, view)}
            )
        return frames

    def spin_json(self, build: Build) -> str:
        return json.dumps(self.spin_frames(build), separators=(",", ":"))

    def precompute_keys(self, format: str = "webp") -> Iterator[PictureKey]:
        """For every view and width: every stack picture (`every_stack_key`), then each model's default
        build and every build one choice away from it.

        Angle by angle, the hero angle (views[0]) first: it is the one every page opens at.
        """
        catalogue = self.catalogue
        builds = {}
        for model in catalogue.models:
            builds[model.id] = [catalogue.build_from(model.id)]
            for slot in catalogue.choice_slots:
                for option in catalogue.options_for(model.id, slot):
                    if option.id != model.defaults[slot] and not option.custom:
                        builds[model.id].append(catalogue.build_from(model.id, {slot: option.id}))
        for model_id, view in views_hero_first(catalogue):
            # Every stack picture but a customer's own paint first: they are what a page lays from its first
            # pick or turn on, for every build, so no visitor waits for one to be drawn.
            for width in catalogue.widths:
                yield from every_stack_key(catalogue, model_id, view, width)
            for build in builds[model_id]:
                for width in catalogue.widths:
                    yield self.key(build, view, width, format)

    def precompute(self, format: str = "webp", pause: float = 0.0, drawer: DrawingProcess | None = None) -> int:
        """Render every precompute key missing from disk, with the slower smaller WebP; returns how many."""
        rendered = 0
        for key in self.precompute_keys(format):
            if self.cache.ensure_on_disk(key, lambda k: self.render(k, PRECOMPUTE_METHOD, drawer)):
                rendered += 1
                # Let waiting requests have the CPU between renders on a small machine.
                time.sleep(pause)
        return rendered

    def start(self, precompute: bool = True, pause: float = 0.02) -> threading.Thread:
        """Decode the layers, then (optionally) precompute, in a daemon thread; requests never wait for it."""
        thread = threading.Thread(target=self._warm_up, args=(precompute, pause), name="car-pictures", daemon=True)
        thread.start()
        return thread

    def _precompute_aside(self, pause: float) -> int:
        """Precompute in a drawing process of its own, ended when done, so no visitor's picture queues
        behind it (one a visitor waits for could otherwise wait for a whole view's layers to decode).
        It only starts if a picture is missing: a store kept between releases costs nothing."""
        if self.drawer is None:
            return self.precompute(pause=pause)
        aside = DrawingProcess(self.drawer.niceness)
        try:
            return self.precompute(pause=pause, drawer=aside)
        finally:
            aside.close()

    def _warm_up(self, precompute: bool, pause: float) -> None:
        try:
            started = time.perf_counter()
            if self.drawer is not None:  # the layers are decoded where the drawing happens
                layer_bytes = self.drawer.load_layers(self._pickled_catalogue, views_hero_first(self.catalogue))
            else:
                self.library.load_all()
                layer_bytes = self.library.nbytes
            log.info("car layers decoded: %.1f MB in %.1f s", layer_bytes / 1e6, time.perf_counter() - started)
            if precompute:
                started = time.perf_counter()
                count = self._precompute_aside(pause)
                log.info("car picture precompute: %d rendered in %.1f s", count, time.perf_counter() - started)
        except DrawingStopped:
            pass  # the server is stopping (its log may already be closed): the rest waits for the next start
        except Exception:
            log.exception("car picture warm-up failed")


def open_pictures(layers_dir: Path | None = None, cache_dir: Path | None = None) -> CarPictures:
    """Load and validate the manifest (fast: PNG headers only); raises ManifestError naming a bad entry.

    Decoding and precomputing wait for `start()`, which the app runs when its server starts, so that
    merely importing the app (Reflex does, to compile the pages) costs no CPU.
    """
    catalogue = load_catalogue(layers_dir or settings.LAYERS_DIR)
    return CarPictures(catalogue, cache_dir or settings.data_dir() / "render-cache")


@functools.cache
def car_pictures() -> CarPictures:
    """The process's one picture service, shared by the picture route and every page's state."""
    return open_pictures()
