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

The worker talks to its drawing process over two sockets of its own, not through a process pool. A
pool hands every job to a feeder thread and every answer to a manager thread, each of which wakes,
takes the web worker's interpreter lock and wakes the event loop in turn. Here the event loop writes
an awaited job to its socket and reads the answer when the socket is readable, like any other
connection (`_Child.ask`), so a never-seen picture wakes no thread of the web worker. Callers in
threads (the warm-up, scripts, the precompute's process aside) take the other socket, one at a time
(`_Child.call`). The drawing process reads both in threads of its own and draws one job at a time,
visitors' pictures first, each socket's jobs in the order they came.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import pickle
import queue
import signal
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import diskcache

from app.catalog import Catalogue
from app.render.cache import open_disk_store, store_on_disk
from app.render.encode import encode
from app.render.key import PictureKey
from app.render.layers import LayerLibrary
from app.render.stack import picture_image

log = logging.getLogger(__name__)
T = TypeVar("T")
NICENESS = 10  # the clicks first, yet a picture is never starved outright (nice 19 would be)
KEEP_LIBRARIES = 3  # as app.render.live keeps services: the live catalogue, the one before, a preview
DiskStore = tuple[str, int]  # a picture store's folder and size limit, as the drawing process opens it
READ_AT_ONCE = 1 << 17  # bytes the event loop reads from the socket per turn: several pictures' answers
_LENGTH = struct.Struct("!i")  # multiprocessing.Connection's framing, so the drawing process can use one
_LONG_LENGTH = struct.Struct("!Q")
# A visitor's picture (asked on the event loop) is drawn before the jobs of threads (the warm-up's next
# view, a script): it waits for the job in hand at most, never for a queue of layer decodes.
VISITORS_FIRST, THEN_THE_REST = 0, 1


class DrawingStopped(RuntimeError):
    """The drawing process was shut down with this process (the server is stopping)."""


class _ProcessGone(Exception):
    """The drawing process died (killed, out of memory) with this job in hand."""


class DrawingProcess:
    """`draw(catalogue_bytes, key, method)` in a child process; restarted once if it died."""

    def __init__(self, niceness: int = NICENESS) -> None:
        self.niceness = niceness
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._closed = False
        self._finalizer: multiprocessing.util.Finalize | None = None

    @property
    def pid(self) -> int:
        """The drawing process's id (starting it if need be)."""
        return self._running().pid

    def draw(self, catalogue: bytes, key: PictureKey, method: int) -> bytes:
        """The encoded picture; blocks the calling thread (never the event loop) until it is drawn."""
        return self._call(_draw, catalogue, key, method)

    async def draw_and_store(self, catalogue: bytes, key: PictureKey, method: int, store: DiskStore) -> bytes:
        """`draw`, awaited on the event loop, the drawing process writing the picture into the disk store
        `store` itself (see the module's docstring): no thread of this process waits for it."""
        child = self._running()
        try:
            return await child.ask(_draw_and_store, catalogue, key, method, store)
        except _ProcessGone:
            return await self._start_again(child).ask(_draw_and_store, catalogue, key, method, store)

    def load_layers(self, catalogue: bytes, views: list[tuple[str, str]]) -> int:
        """Decode these (model, view) layers there, in order; the bytes they take.

        One view at a time, each its own job: a visitor's picture asked for meanwhile waits for one
        view (about a second), not for all of them."""
        return max([self._call(_load_view, catalogue, model, view) for model, view in views], default=0)

    def close(self, wait: bool = False) -> None:
        """Let the process go for good: a drawing asked for afterwards raises DrawingStopped.

        For good, because a thread still drawing (the warm-up's next angle, a late picture) would
        otherwise start a new process while the worker is on its way out, and the worker would then
        wait for that process for ever."""
        with self._lock:
            self._closed = True
            child, self._child = self._child, None
        if child is not None:
            child.let_go(wait)

    def _call(self, job: Callable[..., T], *args: object) -> T:
        child = self._running()
        try:
            return child.call(job, *args)
        except _ProcessGone:
            return self._start_again(child).call(job, *args)

    def _start_again(self, dead: _Child) -> _Child:
        """Killed (out of memory, an operator's kill): a fresh process for this drawing and later ones."""
        with self._lock:
            if self._child is dead:
                log.warning("the drawing process stopped; starting a new one")
                self._child = None
        dead.let_go()
        return self._running()

    def _running(self) -> _Child:
        with self._lock:
            if self._closed:
                raise DrawingStopped("the drawing process has been closed")
            if self._child is None:
                self._child = _Child(self.niceness)
            if self._finalizer is None:
                # A web worker is itself a multiprocessing child: on its way out it joins its children,
                # so without this it would wait on the drawing process forever. Finalizers run by
                # priority, before those joins.
                self._finalizer = multiprocessing.util.Finalize(
                    None, self.close, kwargs={"wait": True}, exitpriority=100
                )
            return self._child


class _Child:
    """One drawing process and the web worker's two sockets to it (see the module's docstring)."""

    def __init__(self, niceness: int) -> None:
        # spawn, not fork: the web worker has threads (and an event loop) that a fork would copy mid-step.
        context = multiprocessing.get_context("spawn")
        self._calls, calls_there = context.Pipe()
        self._asks, asks_there = context.Pipe()
        self.process = context.Process(target=_serve, args=(calls_there, asks_there, niceness), name="drawing")
        self.process.start()
        calls_there.close()
        asks_there.close()
        self.pid: int = self.process.pid or 0
        self._call_lock = threading.Lock()
        self._fd = self._asks.fileno()
        os.set_blocking(self._fd, False)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        self._inbox = bytearray()
        self._outbox = bytearray()
        self._gone = False

    def call(self, job: Callable[..., T], *args: object) -> T:
        """`job(*args)` there, the calling thread waiting for it."""
        with self._call_lock:
            try:
                self._calls.send_bytes(pickle.dumps((0, job, args), pickle.HIGHEST_PROTOCOL))
                answer = self._calls.recv_bytes()
            except (EOFError, OSError, TypeError) as broken:
                # TypeError: the worker let the process go (`let_go`, another thread) while this one waited,
                # and multiprocessing read on with its handle already None: the server is stopping.
                raise _ProcessGone() from broken
        return _outcome(pickle.loads(answer))

    async def ask(self, job: Callable[..., T], *args: object) -> T:
        """`job(*args)` there, awaited: the event loop reads the answer off the socket, no thread waits."""
        loop = asyncio.get_running_loop()
        self._serve_on(loop)
        if self._gone:
            raise _ProcessGone()
        job_id = next(self._ids)
        self._waiting[job_id] = answer = loop.create_future()
        try:
            self._send(pickle.dumps((job_id, job, args), pickle.HIGHEST_PROTOCOL))
            return await answer
        finally:
            self._waiting.pop(job_id, None)

    def let_go(self, wait: bool = False) -> None:
        """Close both sockets: the drawing process leaves once the drawing in hand is done (`wait`: until then)."""
        self._calls.close()
        loop = self._loop
        if loop is None or loop.is_closed() or not loop.is_running() or _running_loop() is loop:
            self._hang_up(DrawingStopped("the drawing process was closed first"))
        else:  # the event loop's own thread must let go of its socket
            loop.call_soon_threadsafe(self._hang_up, DrawingStopped("the drawing process was closed first"))
        if wait:
            self.process.join()
        elif not self.process.is_alive():
            self.process.join()  # a killed one: collected now, not left a zombie

    # ---- the event loop's side of the socket
    def _serve_on(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read and write the socket on `loop` from now on: one event loop at a time (a web worker has one;
        tests run several in turn, each after the other has ended). Answers to jobs asked on the loop
        before are dropped; bytes half read or half written stay, so the messages keep their frames."""
        if self._loop is loop or self._gone:
            return
        before = self._loop
        if before is not None and before.is_running():
            raise DrawingStopped("the drawing process is serving another event loop")
        if before is not None and not before.is_closed():
            before.remove_reader(self._fd)
            before.remove_writer(self._fd)
        self._waiting = {}
        self._loop = loop
        loop.add_reader(self._fd, self._readable)
        if self._outbox:
            loop.add_writer(self._fd, self._writable)

    def _send(self, message: bytes) -> None:
        """Write `message` framed; what the socket can't take now goes when it can. A dead drawing process
        fails every awaited job (see `_hang_up`)."""
        pending = bool(self._outbox)
        self._outbox += _LENGTH.pack(len(message))
        self._outbox += message
        if pending:
            return
        self._writable()
        if self._outbox and not self._gone:  # the drawing process is slow to read: the rest when it can
            assert self._loop is not None
            self._loop.add_writer(self._fd, self._writable)

    def _writable(self) -> None:
        try:
            while self._outbox:
                del self._outbox[: os.write(self._fd, self._outbox)]
        except BlockingIOError:
            return
        except OSError:
            self._hang_up(_ProcessGone())
            return
        if self._loop is not None:
            self._loop.remove_writer(self._fd)

    def _readable(self) -> None:
        try:
            chunk = os.read(self._fd, READ_AT_ONCE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the drawing process has gone
            self._hang_up(_ProcessGone())
            return
        self._inbox += chunk
        while (message := _next_message(self._inbox)) is not None:
            job_id, done, value = pickle.loads(message)
            answer = self._waiting.pop(job_id, None)
            if answer is None or answer.done():
                continue  # its asker stopped waiting
            if done:
                answer.set_result(value)
            else:
                answer.set_exception(value)

    def _hang_up(self, reason: BaseException) -> None:
        """No more answers on the socket: every job awaited fails with `reason` and the socket is closed."""
        if self._gone:
            return
        self._gone = True
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._fd)
            self._loop.remove_writer(self._fd)
        waiting, self._waiting = self._waiting, {}
        for answer in waiting.values():
            if not answer.done():
                answer.set_exception(reason)
        self._asks.close()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _next_message(inbox: bytearray) -> bytes | None:
    """The first whole message in `inbox`, taken out of it (multiprocessing.Connection's framing); None if none yet."""
    if len(inbox) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack_from(inbox)
    start = _LENGTH.size
    if size == -1:  # over 2 GiB: an eight-byte length follows
        if len(inbox) < start + _LONG_LENGTH.size:
            return None
        (size,) = _LONG_LENGTH.unpack_from(inbox, start)
        start += _LONG_LENGTH.size
    if len(inbox) < start + size:
        return None
    message = bytes(inbox[start : start + size])
    del inbox[: start + size]
    return message


def _outcome(answer: tuple[int, bool, Any]) -> Any:
    _job_id, done, value = answer
    if not done:
        raise value
    return value


def pickled(catalogue: Catalogue) -> bytes:
    return pickle.dumps(catalogue, protocol=pickle.HIGHEST_PROTOCOL)


# ---- in the drawing process
_libraries: OrderedDict[str, LayerLibrary] = OrderedDict()


def drawing_cores(allowed: set[int]) -> set[int]:
    """The cores a drawing process may use: all this process may, but the first (when there are two or more)."""
    return allowed - {min(allowed)} if len(allowed) > 1 else allowed


def _serve(
    calls: multiprocessing.connection.Connection, asks: multiprocessing.connection.Connection, niceness: int
) -> None:
    """The drawing process: jobs from both sockets, one at a time (visitors' first), until both close.

    A thread per socket reads the jobs as they come, so the web worker's writes never wait for a drawing.
    The web worker closes both when it lets this process go; a worker killed outright (SIGKILL, out of
    memory) closes them too, so this process leaves with it."""
    _settle_in(niceness)
    jobs: queue.PriorityQueue = queue.PriorityQueue()
    order = itertools.count()
    for socket, turn in ((asks, VISITORS_FIRST), (calls, THEN_THE_REST)):
        threading.Thread(target=_take_jobs, args=(socket, jobs, turn, order), name="jobs", daemon=True).start()
    open_sockets = 2
    while open_sockets:
        *_turn, job = jobs.get()
        if job is None:
            open_sockets -= 1
            continue
        socket, sending, job_id, work, args = job
        try:
            answer = (job_id, True, work(*args))
        except Exception as error:  # the asker gets it raised
            answer = (job_id, False, error)
        with sending, contextlib.suppress(OSError):  # its asker has gone; the other socket may still have jobs
            socket.send_bytes(_pickled_answer(answer))


def _take_jobs(
    socket: multiprocessing.connection.Connection, jobs: queue.PriorityQueue, turn: int, order: itertools.count
) -> None:
    """Queue the socket's jobs at `turn`, in the order they came (`order` numbers both sockets' jobs, so
    no two entries tie and the jobs themselves are never compared); None when the socket closes."""
    sending = threading.Lock()
    while True:
        try:
            job_id, work, args = pickle.loads(socket.recv_bytes())
        except (EOFError, OSError):
            jobs.put((turn, next(order), None))  # after this socket's own jobs still waiting
            return
        jobs.put((turn, next(order), (socket, sending, job_id, work, args)))


def _pickled_answer(answer: tuple[int, bool, object]) -> bytes:
    try:
        return pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
    except Exception as unpicklable:  # an error that can't travel is told as one that can
        job_id, _done, value = answer
        return pickle.dumps((job_id, False, RuntimeError(f"{value!r} ({unpicklable})")), pickle.HIGHEST_PROTOCOL)


def _settle_in(niceness: int) -> None:
    os.nice(niceness)
    os.sched_setaffinity(0, drawing_cores(os.sched_getaffinity(0)))
    # Ctrl-C in the terminal and a stop's SIGTERM reach the whole process group. The worker lets this
    # process go itself (by closing its sockets); dying first printed a KeyboardInterrupt traceback on
    # every Ctrl-C and broke the drawing in hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


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


def _draw(catalogue: bytes, key: PictureKey, method: int) -> bytes:
    return encode(picture_image(_library(catalogue), key), key.format, method)


_stores: dict[DiskStore, diskcache.Cache] = {}


def _draw_and_store(catalogue: bytes, key: PictureKey, method: int, store: DiskStore) -> bytes:
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
