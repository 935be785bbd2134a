"""The drawing process: the same pictures as drawing in-process, at a lower priority, and back after a crash."""

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog import Catalogue
from app.render import CarPictures, render_key
from app.render.drawing import DrawingProcess, DrawingStopped, drawing_cores, pickled
from app.render.encode import LIVE_METHOD, PRECOMPUTE_METHOD


@pytest.fixture(scope="module")
def drawer() -> Iterator[DrawingProcess]:
    drawing = DrawingProcess()
    yield drawing
    drawing.close()


def _custom(catalogue: Catalogue, hex: str, view: str = "side", width: int = 160):
    return render_key(catalogue, catalogue.build_from("hatch", {"colour": "custom"}, hex=hex), view, width)


def _child_pid(drawer: DrawingProcess) -> int:
    return drawer.pid


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


def test_the_drawing_process_leaves_a_core_to_the_web_worker(catalogue: Catalogue, drawer):
    drawer.draw(pickled(catalogue), _custom(catalogue, "#111111"), LIVE_METHOD)
    allowed = os.sched_getaffinity(0)
    assert os.sched_getaffinity(_child_pid(drawer)) == drawing_cores(allowed)
    if len(allowed) > 1:
        assert min(allowed) not in os.sched_getaffinity(_child_pid(drawer))


@pytest.mark.parametrize(
    ("allowed", "cores"), [({0}, {0}), ({0, 1}, {1}), ({2, 3, 5}, {3, 5}), (set(range(8)), set(range(1, 8)))]
)
def test_drawing_keeps_off_one_core_when_there_are_two_or_more(allowed, cores):
    assert drawing_cores(allowed) == cores


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


def test_ctrl_c_and_a_stop_reach_the_worker_not_the_drawing_in_hand(catalogue: Catalogue, drawer):
    # Both go to the whole process group; the worker then lets the drawing process go itself.
    key = _custom(catalogue, "#606060")
    first = drawer.draw(pickled(catalogue), key, LIVE_METHOD)
    pid = _child_pid(drawer)
    for stop in (signal.SIGINT, signal.SIGTERM):
        os.kill(pid, stop)
    time.sleep(0.5)  # long enough for a signal to be handled; a process killed by it would be gone by now
    assert drawer.draw(pickled(catalogue), key, LIVE_METHOD) == first
    assert _child_pid(drawer) == pid


def test_the_precompute_draws_aside_and_only_the_drawing_process_decodes(
    catalogue, tmp_path: Path, drawer, monkeypatch
):
    pictures = CarPictures(catalogue, tmp_path / "cache", drawer=drawer)
    live_pid = _child_pid(drawer)
    drawn_by = []
    original = DrawingProcess.draw

    def spy(self, catalogue_bytes, key, method):
        drawn_by.append(self is drawer)
        return original(self, catalogue_bytes, key, method)

    monkeypatch.setattr(DrawingProcess, "draw", spy)
    pictures.start(pause=0).join(timeout=300)
    assert pictures.cache.on_disk(next(pictures.precompute_keys()))
    assert drawn_by and not any(drawn_by)  # every precompute picture was drawn by the process aside
    assert _child_pid(drawer) == live_pid  # the visitors' drawing process carried on throughout
    assert pictures.layers._library is None  # and nothing was decoded in the web worker


def _draw_once_and_leave(catalogue_bytes: bytes, key) -> None:
    DrawingProcess().draw(catalogue_bytes, key, LIVE_METHOD)


def test_a_web_worker_with_a_drawing_process_still_stops(catalogue: Catalogue):
    # Granian's workers are multiprocessing children, which join their own children on the way out.
    stuck, exitcode = _as_a_worker(_draw_once_and_leave, pickled(catalogue), _custom(catalogue, "#404040"))
    assert not stuck and exitcode == 0


def _as_a_worker(target, *args) -> tuple[bool, int | None]:
    """Run `target` in a forked child as Granian runs a worker: whether it was stuck (then killed), its exit code."""
    worker = multiprocessing.get_context("fork").Process(target=target, args=args)
    worker.start()
    worker.join(timeout=60)
    stuck = worker.is_alive()
    if stuck:
        worker.kill()
        worker.join()
    return stuck, worker.exitcode


def _leave_while_the_warm_up_decodes(catalogue_bytes: bytes, views: list[tuple[str, str]]) -> None:
    drawer = DrawingProcess()

    def warm_up() -> None:  # as CarPictures' warm-up thread decodes angle after angle
        with contextlib.suppress(DrawingStopped):
            drawer.load_layers(catalogue_bytes, views)

    threading.Thread(target=warm_up, daemon=True).start()
    time.sleep(0.5)  # the worker leaves with an angle being decoded and more to come


def test_a_web_worker_stops_while_its_warm_up_is_still_decoding(catalogue: Catalogue):
    # The warm-up's next angle must not start a new drawing process that the leaving worker then waits on.
    views = [("hatch", view) for view in catalogue.model("hatch").views]
    stuck, exitcode = _as_a_worker(_leave_while_the_warm_up_decodes, pickled(catalogue), views)
    assert not stuck and exitcode == 0


def test_a_closed_drawing_process_stays_closed(catalogue: Catalogue):
    drawer = DrawingProcess()
    drawer.draw(pickled(catalogue), _custom(catalogue, "#353535"), LIVE_METHOD)
    drawer.close()
    with pytest.raises(DrawingStopped):
        drawer.draw(pickled(catalogue), _custom(catalogue, "#353535"), LIVE_METHOD)
    assert drawer._child is None  # and no new process was started for it


def test_a_thread_waiting_on_a_drawing_when_the_worker_stops_is_told_it_stopped(catalogue: Catalogue):
    """The precompute's thread may be waiting for a picture when the server stops and lets the process go."""
    drawer = DrawingProcess()
    drawer.draw(pickled(catalogue), _custom(catalogue, "#363636"), LIVE_METHOD)  # started and settled
    outcome: list[str] = []

    def wait_for_a_long_job() -> None:
        try:
            drawer._call(time.sleep, 3)  # a job the drawing process takes 3 s over
            outcome.append("done")
        except DrawingStopped:
            outcome.append("stopped")
        except Exception as error:  # what the server's log used to show as "warm-up failed"
            outcome.append(repr(error))

    waiting = threading.Thread(target=wait_for_a_long_job)
    waiting.start()
    time.sleep(0.5)
    drawer.close()
    waiting.join(timeout=10)
    assert outcome == ["stopped"]


def _draw_then_die(catalogue_bytes: bytes, key, drawing_pid) -> None:
    drawer = DrawingProcess()
    drawer.draw(catalogue_bytes, key, LIVE_METHOD)
    drawing_pid.value = _child_pid(drawer)
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_drawing_process_leaves_with_a_killed_worker(catalogue: Catalogue):
    fork = multiprocessing.get_context("fork")
    drawing_pid = fork.Value("i", 0)
    worker = fork.Process(target=_draw_then_die, args=(pickled(catalogue), _custom(catalogue, "#505050"), drawing_pid))
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == -signal.SIGKILL and drawing_pid.value
    for _ in range(100):  # it notices within a second or two
        try:
            os.kill(drawing_pid.value, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(drawing_pid.value, signal.SIGKILL)
    pytest.fail("the drawing process outlived its killed worker")


def test_a_picture_drawn_and_stored_aside_is_the_one_drawn_here_and_on_disk(
    catalogue: Catalogue, tmp_path: Path, drawer
):
    from app.render.cache import PictureCache

    key = _custom(catalogue, "#404040")
    store = (str(tmp_path / "store"), 10 * 1024 * 1024)
    drawn = asyncio.run(drawer.draw_and_store(pickled(catalogue), key, LIVE_METHOD, store))
    assert drawn == drawer.draw(pickled(catalogue), key, LIVE_METHOD)
    assert PictureCache(lambda k: b"", Path(store[0]), max_disk_bytes=store[1]).stored(key) == drawn


def test_a_picture_awaited_from_a_killed_drawing_process_comes_from_a_new_one(catalogue: Catalogue, tmp_path: Path):
    drawer = DrawingProcess()
    store, key = (str(tmp_path / "store"), 10 * 1024 * 1024), _custom(catalogue, "#505050")
    try:
        first = asyncio.run(drawer.draw_and_store(pickled(catalogue), key, LIVE_METHOD, store))
        dead = _child_pid(drawer)
        os.kill(dead, signal.SIGKILL)
        again = asyncio.run(drawer.draw_and_store(pickled(catalogue), key, LIVE_METHOD, store))
        assert again == first and _child_pid(drawer) != dead
    finally:
        drawer.close()


def test_a_picture_awaited_after_shutdown_says_so(catalogue: Catalogue, tmp_path: Path):
    drawer = DrawingProcess()
    drawer.close()
    with pytest.raises(DrawingStopped):
        asyncio.run(drawer.draw_and_store(pickled(catalogue), _custom(catalogue, "#303030"), LIVE_METHOD, ("x", 1)))


def test_an_awaited_picture_wakes_no_thread_of_the_web_worker(catalogue: Catalogue, tmp_path: Path):
    # A process pool hands each job to a feeder thread and each answer to a manager thread, each taking the
    # worker's interpreter lock; the event loop reads the drawing process's answers off its socket itself.
    threads = set(threading.enumerate())
    drawer = DrawingProcess()
    store = (str(tmp_path / "store"), 10 * 1024 * 1024)

    async def drawn_while_counting() -> list[bytes]:
        keys = [_custom(catalogue, f"#0B0B{n:02X}") for n in range(4)]
        return await asyncio.gather(*(drawer.draw_and_store(pickled(catalogue), k, LIVE_METHOD, store) for k in keys))

    try:
        drawn = asyncio.run(drawn_while_counting())
        assert len(set(drawn)) == 4 and all(picture[:4] == b"RIFF" for picture in drawn)
        assert set(threading.enumerate()) == threads
    finally:
        drawer.close()


def test_more_jobs_than_the_socket_holds_are_all_answered_in_order(catalogue: Catalogue, drawer):
    # Each job carries the pickled catalogue: forty of them pass any socket buffer, so the event loop must
    # send the rest as the drawing process takes them, and match every answer to its job.
    catalogue_bytes = pickled(catalogue)
    child = drawer._running()

    async def asked() -> list[int]:
        return await asyncio.gather(*(child.ask(len, catalogue_bytes + b"x" * n) for n in range(40)))

    assert asyncio.run(asked()) == [len(catalogue_bytes) + n for n in range(40)]


def test_a_visitors_picture_goes_before_a_threads_job_that_came_first(drawer):
    # The warm-up decodes the layers one view per job, from a thread: a picture asked for meanwhile waits
    # for the job in hand, not also for the next decode the warm-up sent while that one ran.
    child = drawer._running()

    async def asked_after_a_call() -> tuple[float, float]:
        in_hand = asyncio.ensure_future(child.ask(time.sleep, 1.5))
        await asyncio.sleep(0.1)
        called = asyncio.get_running_loop().run_in_executor(None, child.call, time.monotonic)  # queued first
        await asyncio.sleep(0.3)
        asked = await child.ask(time.monotonic)
        await in_hand
        return asked, await called

    asked, called = asyncio.run(asked_after_a_call())  # CLOCK_MONOTONIC: the same clock in both processes
    assert asked < called


def test_an_error_in_the_drawing_process_is_raised_to_whoever_asked(catalogue: Catalogue, drawer):
    child = drawer._running()
    with pytest.raises(ZeroDivisionError):
        child.call(divmod, 1, 0)
    with pytest.raises(ZeroDivisionError):
        asyncio.run(child.ask(divmod, 1, 0))
    assert child.call(divmod, 7, 2) == (3, 1)  # and it carries on


def test_jobs_awaited_when_the_process_is_closed_say_so(catalogue: Catalogue, tmp_path: Path):
    drawer = DrawingProcess()
    store = (str(tmp_path / "store"), 10 * 1024 * 1024)

    async def closed_meanwhile():
        asked = asyncio.ensure_future(
            drawer.draw_and_store(pickled(catalogue), _custom(catalogue, "#121212"), LIVE_METHOD, store)
        )
        await asyncio.sleep(0)  # sent
        drawer.close()
        return await asked

    drawer.load_layers(pickled(catalogue), [("hatch", "side")])
    with pytest.raises(DrawingStopped):
        asyncio.run(closed_meanwhile())


def test_an_answer_nobody_waits_for_any_more_is_dropped(drawer):
    child = drawer._running()

    async def gave_up() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(child.ask(time.sleep, 0.5), 0.05)

    asyncio.run(gave_up())  # the event loop ends with the job still in hand there
    assert asyncio.run(child.ask(divmod, 9, 4)) == (2, 1)  # its late answer isn't taken for this one's
    assert asyncio.run(child.ask(divmod, 7, 7)) == (1, 0)
