"""Never-seen pictures are drawn in a process of their own, at a lower CPU priority than the clicks.

A drawing is 15-40 ms of Pillow and numpy. Drawn in a thread of the web worker, its Python parts
take the interpreter lock from the event loop, and its C parts take the cores the event loop needs:
with a crowd picking new builds, every visitor's clicks waited behind the drawings (the scaled setup
at 400 visitors answered picks in 192-273 ms at the median). In a separate, niced process the event
loop keeps its interpreter lock, and the OS gives the clicks the CPU first when both want it; on a
quiet machine the drawing process still gets a whole core at once.

Niceness alone did not keep a core for the clicks. With two web workers on two cores, 400 visitors'
random builds kept both drawing processes busy for a whole run (pictures waited 0.6-3.3 s at p95),
and the workers' event loops stood still for 15-190 ms, in whatever code they were running, about
45 times in a benchmark's two runs: the first run's picks answered in 68-289 ms at p99. So drawing
processes keep off one core (`drawing_cores`): every worker's drawing on the machine shares the
rest, and a web worker always finds a core no drawing runs on. Pinned that way, the first run
answered in 24 ms at p99 with pictures waiting as long (2.3 s at p95).

Each web worker has one drawing process, started when the server starts. It decodes the layers
then, view by view, as the worker itself did before, so a picture asked for meanwhile waits for one
view at most. The start-up precompute, when the store lacks pictures, draws in a second process that
ends when it is done, so a visitor's picture never queues behind it. The catalogue goes along
pickled with every request (about 10 KB, pickled once per catalogue); the process keeps the layers
of a few catalogues, so a studio preview and a publish can be drawn side by side.

A visitor's never-seen picture is awaited on the event loop (`draw_and_store`), and the drawing
process writes it into the disk store itself. Waiting for it in a thread of the worker, as scripts and
the precompute still do (`draw`), cost that thread a sleep and a wake, and the event loop another: on
this project's virtual machines a trip to a thread that waits as long as a drawing took 0.63 ms of CPU
against 0.27 ms for one that returns at once, and the store's write was another 0.2 ms under the
interpreter lock the event loop needs.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import multiprocessing.util
import os
import pickle
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

import diskcache

from app.catalog import Catalogue
from app.render.cache import open_disk_store, store_on_disk
from app.render.composite import compose
from app.render.encode import encode
from app.render.key import RenderKey
from app.render.layers import LayerLibrary

log = logging.getLogger(__name__)
T = TypeVar("T")
NICENESS = 10  # the clicks first, yet a picture is never starved outright (nice 19 would be)
KEEP_LIBRARIES = 3  # as app.render.live keeps services: the live catalogue, the one before, a preview
DiskStore = tuple[str, int]  # a picture store's folder and size limit, as the drawing process opens it


class DrawingStopped(RuntimeError):
    """The drawing process was shut down with this process (the server is stopping)."""


class DrawingProcess:
    """`draw(catalogue_bytes, key, method)` in a child process; restarted once if it died."""

    def __init__(self, niceness: int = NICENESS) -> None:
        self.niceness = niceness
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def draw(self, catalogue: bytes, key: RenderKey, method: int) -> bytes:
        """The encoded picture; blocks the calling thread (never the event loop) until it is drawn."""
        try:
            return self._run(_draw, catalogue, key, method)
        except BrokenProcessPool:
            self._start_again()
            return self._run(_draw, catalogue, key, method)

    async def draw_and_store(self, catalogue: bytes, key: RenderKey, method: int, store: DiskStore) -> bytes:
        """`draw`, awaited on the event loop, the drawing process writing the picture into the disk store
        `store` itself (see the module's docstring): no thread of this process waits for it."""
        try:
            return await self._await(_draw_and_store, catalogue, key, method, store)
        except BrokenProcessPool:
            self._start_again()
            return await self._await(_draw_and_store, catalogue, key, method, store)

    def load_layers(self, catalogue: bytes, views: list[tuple[str, str]]) -> int:
        """Decode these (model, view) layers there, in order; the bytes they take.

        One view at a time, each its own job: a visitor's picture asked for meanwhile waits for one
        view (about a second), not for all of them."""
        return max([self._run(_load_view, catalogue, model, view) for model, view in views], default=0)

    def close(self, wait: bool = False) -> None:
        """Let the process go for good: a drawing asked for afterwards raises DrawingStopped.

        For good, because a thread still drawing (the warm-up's next angle, a late picture) would
        otherwise start a new process while the worker is on its way out, and the worker would then
        wait for that process for ever."""
        with self._lock:
            self._closed = True
        self._discard(wait)

    def _start_again(self) -> None:
        """Killed (out of memory, an operator's kill): a fresh process for this drawing and later ones."""
        log.warning("the drawing process stopped; starting a new one")
        self._discard()

    def _run(self, job: Callable[..., T], *args: object) -> T:
        future = self._submit(job, *args)
        try:
            return future.result()
        except CancelledError as cancelled:  # still queued when the process was closed
            raise DrawingStopped("the drawing process was closed first") from cancelled

    async def _await(self, job: Callable[..., T], *args: object) -> T:
        future = self._submit(job, *args)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if future.cancelled():  # still queued when the process was closed; else the waiter was cancelled
                raise DrawingStopped("the drawing process was closed first") from None
            raise

    def _submit(self, job: Callable[..., T], *args: object) -> Future[T]:
        try:
            return self._executor().submit(job, *args)
        except RuntimeError as stopped:  # "cannot schedule new futures after (interpreter) shutdown"
            raise DrawingStopped(str(stopped)) from stopped

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise DrawingStopped("the drawing process has been closed")
            if self._pool is None:
                # spawn, not fork: the web worker has threads (and an event loop) that a fork would copy mid-step.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    1, mp_context=context, initializer=_settle_in, initargs=(self.niceness, os.getpid())
                )
                # A web worker is itself a multiprocessing child: on its way out it joins its children
                # before the pool's own exit hook runs, so without this it would wait on the drawing
                # process forever. Finalizers run by priority, before those joins and the pool's queues'.
                multiprocessing.util.Finalize(None, self.close, kwargs={"wait": True}, exitpriority=100)
            return self._pool

    def _discard(self, wait: bool = False) -> None:
        """Let the process go (`wait`: until it has finished the drawing in hand and left)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)


def pickled(catalogue: Catalogue) -> bytes:
    return pickle.dumps(catalogue, protocol=pickle.HIGHEST_PROTOCOL)


# ---- in the drawing process
_libraries: OrderedDict[str, LayerLibrary] = OrderedDict()


def drawing_cores(allowed: set[int]) -> set[int]:
    """The cores a drawing process may use: all this process may, but the first (when there are two or more)."""
    return allowed - {min(allowed)} if len(allowed) > 1 else allowed


def _settle_in(niceness: int, worker: int) -> None:
    os.nice(niceness)
    os.sched_setaffinity(0, drawing_cores(os.sched_getaffinity(0)))
    # Ctrl-C in the terminal and a stop's SIGTERM reach the whole process group. The worker lets this
    # process go itself (its finaliser, above); dying first printed a KeyboardInterrupt traceback on
    # every Ctrl-C and broke the drawing in hand, which the worker then restarted on its way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # A worker killed outright (SIGKILL, out of memory) can't stop its drawing process: leave with it.
    threading.Thread(target=_leave_with, args=(worker,), name="leave-with-worker", daemon=True).start()


def _leave_with(worker: int) -> None:
    while os.getppid() == worker:
        time.sleep(1)
    os._exit(0)


def _library(catalogue: bytes) -> LayerLibrary:
    digest = hashlib.sha256(catalogue).hexdigest()
    library = _libraries.get(digest)
    if library is None:
        # Views decoded for one catalogue are shared with the next (see app.render.layers).
        library = _libraries[digest] = LayerLibrary(pickle.loads(catalogue))
        while len(_libraries) > KEEP_LIBRARIES:
            _libraries.popitem(last=False)
    _libraries.move_to_end(digest)
    return library


def _draw(catalogue: bytes, key: RenderKey, method: int) -> bytes:
    return encode(compose(_library(catalogue), key), key.format, method)


_stores: dict[DiskStore, diskcache.Cache] = {}


def _draw_and_store(catalogue: bytes, key: RenderKey, method: int, store: DiskStore) -> bytes:
    data = _draw(catalogue, key, method)
    disk = _stores.get(store)
    if disk is None:
        disk = _stores[store] = open_disk_store(Path(store[0]), store[1])
    store_on_disk(disk, key.digest, data)
    return data


def _load_view(catalogue: bytes, model: str, view: str) -> int:
    library = _library(catalogue)
    library.load_view(model, view)
    return library.nbytes
