"""The picture cache: hits return the same bytes, one render per key under threads, disk survives restarts."""

import shutil
import threading
import time
from pathlib import Path

import pytest

from app.catalog import Catalogue, ManifestError
from app.render import CarPictures, RenderKey, open_pictures, render_key
from app.render.cache import PictureCache
from app.render.key import StackKey, every_stack_key


class CountingRenderer:
    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, key: RenderKey) -> bytes:
        with self._lock:
            self.calls += 1
        time.sleep(self.delay)
        return f"picture of {key.url()}".encode()


def _key(catalogue: Catalogue, hex: str = "#123456", width: int = 160) -> RenderKey:
    return render_key(catalogue, catalogue.build_from("hatch", {"colour": "custom"}, hex=hex), "side", width)


def test_hit_returns_identical_bytes_without_rendering(catalogue: Catalogue, tmp_path: Path) -> None:
    renderer = CountingRenderer()
    cache = PictureCache(renderer, tmp_path)
    first = cache.get(_key(catalogue))
    assert cache.get(_key(catalogue)) == first and renderer.calls == 1


def test_real_pictures_hit_identical(pictures: CarPictures) -> None:
    key = pictures.key(pictures.catalogue.build_from("hatch"), "side", 80)
    first = pictures.picture(key)
    assert first[:4] == b"RIFF" and first[8:12] == b"WEBP"
    assert pictures.picture(key) is first


def test_concurrent_misses_render_once(catalogue: Catalogue, tmp_path: Path) -> None:
    renderer = CountingRenderer(delay=0.2)
    cache = PictureCache(renderer, tmp_path)
    start = threading.Barrier(8)
    results = []

    def ask() -> None:
        start.wait()
        results.append(cache.get(_key(catalogue)))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert renderer.calls == 1
    assert len(results) == 8 and len(set(results)) == 1


def test_different_keys_render_in_parallel(catalogue: Catalogue, tmp_path: Path) -> None:
    renderer = CountingRenderer(delay=0.2)
    cache = PictureCache(renderer, tmp_path)
    threads = [threading.Thread(target=cache.get, args=(_key(catalogue, f"#00000{i}"),)) for i in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert renderer.calls == 4 and time.perf_counter() - started < 0.6


def test_disk_store_survives_a_new_cache(catalogue: Catalogue, tmp_path: Path) -> None:
    data = PictureCache(CountingRenderer(), tmp_path).get(_key(catalogue))
    renderer = CountingRenderer()
    assert PictureCache(renderer, tmp_path).get(_key(catalogue)) == data and renderer.calls == 0


def test_disk_files_stay_inside_the_cache_dir_and_never_carry_url_text(catalogue: Catalogue, tmp_path: Path) -> None:
    # Past diskcache's inline size, so the picture gets a file of its own.
    cache = PictureCache(lambda key: key.url().encode() * 1000, tmp_path / "cache")
    cache.get(_key(catalogue))
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and all(p.is_relative_to(tmp_path / "cache") for p in files)
    assert not any("123456" in p.name or "hatch" in p.name for p in files)


def test_the_disk_store_stays_under_its_limit_dropping_the_least_recently_used(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    def big(key: RenderKey) -> bytes:
        return key.digest.encode() * 1000  # 64 KB: one file each

    limit = 1024 * 1024
    cache = PictureCache(big, tmp_path, max_memory_bytes=0, max_disk_bytes=limit)
    favourite = _key(catalogue, "#ffffff")
    cache.get(favourite)
    for i in range(60):
        cache.get(_key(catalogue, f"#0000{i:02d}"))
        cache.get(favourite)  # used all along: never the least recently used
        assert cache.disk_bytes <= limit + 2 * 64 * 1000
    assert cache.on_disk(favourite)
    assert not cache.on_disk(_key(catalogue, "#000000"))
    on_disk = [p for p in tmp_path.rglob("*.val")]
    assert sum(p.stat().st_size for p in on_disk) <= limit


@pytest.mark.parametrize("marked", [True, False])
def test_pictures_glanced_at_are_marked_used_in_the_shared_store(
    catalogue: Catalogue, tmp_path: Path, marked, monkeypatch
) -> None:
    # Another worker draws; this one only glances (from the event loop), and marks what it found as used.
    monkeypatch.setattr("app.render.cache.MARK_USED_EVERY_S", 3600)  # only when the test says

    def big(key: RenderKey) -> bytes:
        return key.digest.encode() * 1000  # 64 KB: one file each

    limit = 4 * 1024 * 1024  # room for about 60: the store drops 16 at a time once full
    drawing = PictureCache(big, tmp_path, max_memory_bytes=0, max_disk_bytes=limit)
    glancing = PictureCache(big, tmp_path, max_memory_bytes=0, max_disk_bytes=limit)
    favourite = _key(catalogue, "#ffffff")
    drawing.get(favourite)
    for i in range(150):
        drawing.get(_key(catalogue, f"#0000{i:02X}"))
        seen = glancing.glance(favourite)
        if marked:
            assert seen == big(favourite)
            glancing.mark_used_now()
    # Marked, it stays however many come after it; unmarked, the least recently used goes in time.
    assert drawing.on_disk(favourite) is marked


def test_a_glance_never_waits_for_a_writer(catalogue: Catalogue, tmp_path: Path) -> None:
    renderer = CountingRenderer()
    cache = PictureCache(renderer, tmp_path, max_memory_bytes=0)
    key = _key(catalogue)
    cache.get(key)
    writing, done = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:  # another worker in the middle of storing a picture
        other = PictureCache(renderer, tmp_path)
        with other._disk.transact():
            writing.set()
            done.wait(10)
        other.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert writing.wait(10)
        began = time.perf_counter()
        assert cache.glance(key) == renderer(key)
        assert cache.glance(_key(catalogue, "#654321")) is None
        assert time.perf_counter() - began < 1  # a store read through the LRU bookkeeping waits up to 10 s here
    finally:
        done.set()
        holder.join()
    cache.mark_used_now()  # and once the writer is done, the marking goes through
    cache.close()


def test_memory_is_bounded_and_evicted_pictures_come_from_disk(catalogue: Catalogue, tmp_path: Path) -> None:
    renderer = CountingRenderer()
    size = len(renderer(_key(catalogue)))
    renderer.calls = 0
    cache = PictureCache(renderer, tmp_path, max_memory_bytes=3 * size)
    keys = [_key(catalogue, f"#0000{i:02d}") for i in range(10)]
    for key in keys:
        cache.get(key)
    assert cache.memory_bytes <= 3 * size
    cache.get(keys[0])
    assert renderer.calls == 10


def test_a_failed_render_reaches_every_waiter_and_is_retried(catalogue: Catalogue, tmp_path: Path) -> None:
    calls = []

    def flaky(key: RenderKey) -> bytes:
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("broken layer")
        return b"ok"

    cache = PictureCache(flaky, tmp_path)
    with pytest.raises(RuntimeError):
        cache.get(_key(catalogue))
    assert cache.get(_key(catalogue)) == b"ok" and len(calls) == 2


def test_unwritable_disk_still_answers(catalogue: Catalogue, tmp_path: Path, monkeypatch) -> None:
    cache = PictureCache(CountingRenderer(), tmp_path)

    def full_disk(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache._disk, "set", lambda *args, **kwargs: full_disk(None, None))
    assert cache.get(_key(catalogue)).startswith(b"picture of")


def test_precompute_renders_defaults_and_one_change_variants_once(pictures: CarPictures) -> None:
    keys = list(pictures.precompute_keys())
    catalogue = pictures.catalogue
    urls = {k.url() for k in keys}
    assert len(urls) == len(keys)
    default = pictures.key(catalogue.build_from("estate"), "side", 40)
    variant = pictures.key(catalogue.build_from("hatch", {"stripes": "stripes-black"}), "front", 80)
    two_changes = pictures.key(
        catalogue.build_from("hatch", {"stripes": "stripes-black", "roof": "roof-black"}), "side", 80
    )
    assert default.url() in urls and variant.url() in urls and two_changes.url() not in urls
    assert not any(k.options[0] == "custom" for k in keys if isinstance(k, RenderKey))
    # And every stack picture but a customer's own paint's base.
    stack = [k for k in keys if isinstance(k, StackKey)]
    assert {k.url() for k in every_stack_key(catalogue, "hatch", "front", 80)} <= urls
    assert {k.slot for k in stack} == {"body", *catalogue.slot_order[2:]}
    # Every build's hero angle comes before any other angle.
    heroes = [i for i, k in enumerate(keys) if k.view == catalogue.model(k.model).views[0]]
    assert heroes == list(range(len(heroes)))
    thread = pictures.start(precompute=True, pause=0)
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert all(pictures.cache.on_disk(k) for k in keys)
    assert pictures.precompute() == 0


def test_open_pictures_validates_now_and_decodes_on_first_use(layers_dir, tmp_path: Path) -> None:
    pictures = open_pictures(layers_dir, tmp_path / "cache")
    key = pictures.key(pictures.catalogue.build_from("hatch"), "front", 40)
    assert pictures.picture(key)[:4] == b"RIFF"
    assert len(pictures.cache._disk) == 1  # just the one asked for: no precompute


def test_open_pictures_refuses_a_broken_manifest(layers_dir, tmp_path: Path) -> None:
    broken = tmp_path / "layers"
    shutil.copytree(layers_dir, broken)
    (broken / "img/estate/side/glass.webp").unlink()
    with pytest.raises(ManifestError, match=r"glass\.webp is missing"):
        open_pictures(broken, tmp_path / "cache")


def test_a_picture_drawn_aside_is_drawn_once_however_many_wait_and_goes_on_when_one_leaves(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    import asyncio

    cache = PictureCache(CountingRenderer(), tmp_path)
    drawings = []

    async def draw() -> bytes:
        drawings.append(1)
        await asyncio.sleep(0.05)
        return b"drawn aside"

    async def three_wait_one_leaves() -> list:
        key = _key(catalogue)
        waiters = [asyncio.ensure_future(cache.draw_aside(key, draw)) for _ in range(3)]
        await asyncio.sleep(0.01)
        waiters[0].cancel()  # a visitor gone before the picture came
        return await asyncio.gather(*waiters, return_exceptions=True)

    results = asyncio.run(three_wait_one_leaves())
    assert isinstance(results[0], asyncio.CancelledError) and results[1:] == [b"drawn aside"] * 2
    assert len(drawings) == 1 and cache.in_memory(_key(catalogue)) == b"drawn aside"


def test_a_failed_drawing_aside_reaches_every_waiter_and_is_tried_again(catalogue: Catalogue, tmp_path: Path) -> None:
    import asyncio

    cache = PictureCache(CountingRenderer(), tmp_path)
    attempts = []

    async def draw() -> bytes:
        attempts.append(1)
        await asyncio.sleep(0.01)
        if len(attempts) == 1:
            raise RuntimeError("the drawing process stopped")
        return b"second time lucky"

    async def two_wait() -> list:
        key = _key(catalogue, "#654321")
        return await asyncio.gather(*(cache.draw_aside(key, draw) for _ in range(2)), return_exceptions=True)

    first = asyncio.run(two_wait())
    assert [type(result) for result in first] == [RuntimeError, RuntimeError] and len(attempts) == 1
    assert asyncio.run(two_wait()) == [b"second time lucky"] * 2 and len(attempts) == 2


def test_a_glance_the_store_cannot_answer_at_once_is_left_to_a_thread(
    catalogue: Catalogue, tmp_path: Path, monkeypatch
):
    import sqlite3

    from app.render.cache import StoreBusy

    cache = PictureCache(CountingRenderer(), tmp_path, max_memory_bytes=0)

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(cache._glances, "get", locked)
    with pytest.raises(StoreBusy):  # not None, which the route would take for a never-seen picture
        cache.glance(_key(catalogue))
    cache.close()
