"""A tiny TCP load balancer for the tests: it sends new connections to the chosen backend, fails over
to the next when that one is down, and can cut every open connection so clients reconnect."""

import asyncio
import contextlib
import threading


class Switchboard:
    """Forwards 127.0.0.1:`port` to one of `backends` (ports); runs its own event loop in a thread."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.current = 0
        self.port = 0
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="switchboard", daemon=True)

    def start(self) -> "Switchboard":
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def switch_to(self, index: int) -> None:
        """New connections go to backend `index`; open ones are cut, as a restarting balancer would."""
        self.current = index
        asyncio.run_coroutine_threadsafe(self._cut_all(), self._loop).result(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        self._loop.run_forever()

    async def _cut_all(self) -> None:
        for writer in list(self._writers):
            writer.close()

    async def _open_backend(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        # Like a balancer's health check: a backend that refuses connections is skipped.
        for step in range(len(self.backends)):
            port = self.backends[(self.current + step) % len(self.backends)]
            with contextlib.suppress(OSError):
                return await asyncio.open_connection("127.0.0.1", port)
        raise ConnectionRefusedError("no backend is up")

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            backend_reader, backend_writer = await self._open_backend()
        except OSError:
            client_writer.close()
            return
        pair = {client_writer, backend_writer}
        self._writers |= pair
        try:
            await asyncio.gather(self._pipe(client_reader, backend_writer), self._pipe(backend_reader, client_writer))
        finally:
            self._writers -= pair
            for writer in pair:
                writer.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()
