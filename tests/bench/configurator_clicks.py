"""Benchmark (not a test): click an option on /build → the new picture decoded on screen, against a plain page.

    .venv/bin/python tests/bench/configurator_clicks.py --url http://localhost:3000 --clicks 50

Drives a running production build in Chromium. Start it with the limit on never-seen pictures lifted (the
spin preloads every angle of each new build, so a fast walk is many misses a minute from one client):

    MOTORJOY_PICTURE_MISSES_PER_MINUTE=100000 python3 quickstart.py serve

Four passes:
- build, cold: a random walk of option clicks on /build (roof, mirrors, stripes, badges, wheels: never the
  colour, so the walk keeps a random custom paint, whose base at each angle is new to the server; the
  stack's pieces are the catalogue's own, drawn when the server started);
- floor, cold: the floor page (a plain HTML page from a bare local server: the same stack of <img>s
  with the same widths and `sizes`, and a few lines of JS setting their srcsets on a click) walks the
  same pictures in another random paint, so its bases are new to the server too;
- build, warm and floor, warm: each walk again in a fresh browser (nothing in the browser's cache; every
  picture a server cache hit).
Each click is timed from the click event (the window's first listener) to the new picture loaded and
decoded, and each pass counts how many of its pictures the server says it drew (Server-Timing). On /build
it also times the server's answer on screen (the clicked card checked), and counts the bytes the server
sends per pick (every websocket frame until the pick's answer has arrived), and how
much of that is Reflex's router data (re-sent whenever the page's address changed since the last event).
Prints p50/p95 and the ratio to the floor per pass; the last line is one JSON object.
"""

import argparse
import http.server
import json
import random
import shutil
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, WebSocket, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: the checkout's packages
from tests.bench.floor_page import serve_page
from tests.browser import CHROMIUM_ARGS

VIEWPORT = {"width": 1280, "height": 800}
# Option cards the walk clicks: enabled, not chosen, and neither a model nor a colour.
WALKABLE = "section:not(:has(#slot-colour)):not(:has(#slot-model)) [role=radio][aria-checked=false]:not([disabled])"
ROOT_STATE = "reflex___state____state"

# Arms a promise (kept on window: Playwright would otherwise wait for it before clicking) that resolves
# with the ms from the click to the moment the new picture is on screen, every picture of its stack loaded
# and decoded, and where the server says the pictures new to the page came from (their Server-Timing: drawn
# if any was, else disk, else memory). The picture on screen is what [data-spin]'s data-shown names (on
# /build assets/spin.js sets it once a build's pictures are decoded; the floor page once it has set them).
# The click is timed from the first listener there is (the window's, in the capture phase).
MEASURE = """() => { window.__click = new Promise(resolve => {
  setTimeout(() => resolve(null), 30000);  // never came (e.g. a 429): counted as a failure
  const spin = document.querySelector('[data-spin]');
  const pictures = () => [...spin.querySelectorAll('.spin-stage img')];
  const before = spin.dataset.shown, had = new Set(pictures().map(i => i.currentSrc));
  let t0 = null;
  window.addEventListener('click', () => { t0 = performance.now(); }, {capture: true, once: true});
  const source = (src) => {
    const entry = performance.getEntriesByName(src, 'resource').pop();
    return (entry && entry.serverTiming && entry.serverTiming[0] && entry.serverTiming[0].name) || 'unknown';
  };
  const check = () => {
    const imgs = pictures();
    if (t0 !== null && spin.dataset.shown !== before && imgs.every(i => i.complete && i.naturalWidth > 0)) {
      const sources = imgs.map(i => i.currentSrc).filter(src => !had.has(src)).map(source);
      const said = ['drawn', 'disk', 'memory'].find(s => sources.includes(s)) || 'unknown';
      Promise.all(imgs.map(i => i.decode())).then(() => resolve([performance.now() - t0, said]));
    } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
}); }"""

# The stack on screen: the srcset of each of its pictures, base first.
STACK_ON_SCREEN = "spin => [...spin.querySelectorAll('.spin-stage img')].map(i => i.getAttribute('srcset'))"

# On /build: the ms from the click to the server's answer on screen (the clicked card checked).
ANSWER = """(name) => { window.__answer = new Promise(resolve => {
  setTimeout(() => resolve(null), 30000);
  const card = [...document.querySelectorAll('[role=radio]')].find(c => c.getAttribute('aria-label') === name);
  let t0 = null;
  window.addEventListener('click', () => { t0 = performance.now(); }, {capture: true, once: true});
  const watch = new MutationObserver(() => {
    if (t0 === null || card.getAttribute('aria-checked') !== 'true') return;
    watch.disconnect();
    resolve(performance.now() - t0);
  });
  watch.observe(card, {attributes: true, attributeFilter: ['aria-checked']});
}); }"""

# The floor: the same stacks of pictures laid by a few lines of plain JS, each click setting the next
# stack's srcsets at once (no waiting for a decode), as a plain page would.
FLOOR_PAGE = """<!doctype html><html><head><meta charset=utf-8><title>floor</title>
<meta name=viewport content="width=device-width, initial-scale=1"></head><body style="margin:0">
<div data-spin style="width:40rem"><div class="spin-stage" style="position:relative"></div></div>
<button id=next>Next</button>
<script>
const stacks = %(stacks)s; let i = 0;
const stage = document.querySelector('.spin-stage'), spin = document.querySelector('[data-spin]');
function lay(stack) {
  while (stage.children.length > stack.length) stage.lastElementChild.remove();
  while (stage.children.length < stack.length) {
    const img = document.createElement('img'); img.alt = ''; img.sizes = "%(sizes)s";
    img.style.cssText = stage.children.length ? 'position:absolute;inset:0;width:100%%;height:100%%'
      : 'width:100%%;aspect-ratio:16/9;display:block';
    stage.append(img);
  }
  stack.forEach((srcset, n) => {
    if (stage.children[n].getAttribute('srcset') !== srcset) stage.children[n].srcset = srcset;
  });
  spin.dataset.shown = String(i);
}
lay(stacks[0]);
document.getElementById('next').addEventListener('click', () => lay(stacks[++i]));
</script></body></html>"""


class Frames:
    """Counts what the server sends over the page's websocket."""

    def __init__(self, page: Page) -> None:
        self.received: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: self.received.append(payload if isinstance(payload, str) else ""))

    def take(self) -> list[str]:
        taken, self.received = self.received, []
        return taken


def router_bytes(frame: str) -> int:
    """Bytes of Reflex's own router data (the root state's part of the delta) in a socket.io event frame."""
    try:
        update = json.loads(frame[frame.index("[") :])[1]
    except (ValueError, IndexError, TypeError):
        return 0
    root = (update.get("delta") or {}).get(ROOT_STATE) if isinstance(update, dict) else None
    return len(json.dumps(root, separators=(",", ":"), ensure_ascii=False).encode()) if root else 0


class NoPicture(RuntimeError):
    """The new picture never arrived: is the server limiting misses? (see the module docstring)"""


class Timings:
    """One pass's clicks: ms to the picture, where each picture came from, ms to the server's answer (/build)."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self.sources: list[str] = []
        self.answer_ms: list[float] = []

    def drawn(self) -> str:
        return f"{self.sources.count('drawn')}/{len(self.sources)}"


def timed(page: Page, into: Timings) -> None:
    measured = page.evaluate("() => window.__click")
    if measured is None:
        raise NoPicture("no new picture within 30 s of a click")
    ms, source = measured
    into.ms.append(ms)
    into.sources.append(source)


def click_and_time(page: Page, name: str, into: Timings) -> None:
    page.evaluate(MEASURE)
    page.evaluate(ANSWER, name)
    page.get_by_role("radio", name=name, exact=True).click()
    timed(page, into)
    answer = page.evaluate("() => window.__answer")
    if answer is None:
        raise NoPicture("the server's answer never checked the clicked card")
    into.answer_ms.append(answer)


def answered(page: Page, name: str) -> None:
    """Wait for the server's answer to a pick: the card it chose is checked (so its delta has arrived)."""
    page.get_by_role("radio", name=name, exact=True).and_(page.locator("[aria-checked=true]")).wait_for()
    page.wait_for_timeout(150)  # anything the answer sends in a frame of its own comes just after


def open_build(browser: Browser, url: str, hex_colour: str) -> tuple[Page, Frames]:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    frames = Frames(page)
    page.goto(f"{url}/build?model=hatch&colour=custom&hex={hex_colour}")
    page.wait_for_function("() => { const i = document.getElementById('car-picture'); return i && i.complete; }")
    page.locator(WALKABLE).first.wait_for()  # the option cards come with the state (slow on a busy machine)
    page.locator("[data-spin][data-preloaded=true]").wait_for()  # the build's own stack laid and decoded
    page.wait_for_timeout(500)
    return page, frames


def build_walk(browser: Browser, url: str, hex_colour: str, clicks: int, rng: random.Random) -> dict:
    """A random walk on /build, timed as it goes: timings, names, each new picture's srcset, bytes per pick."""
    page, frames = open_build(browser, url, hex_colour)
    walk: dict = {"timings": Timings(), "names": [], "stacks": [], "bytes": [], "router_bytes": []}
    frames.take()
    for _ in range(clicks):
        labels = [o.get_attribute("aria-label") for o in page.locator(WALKABLE).all()]
        name = rng.choice(labels)
        walk["names"].append(name)
        click_and_time(page, name, walk["timings"])
        walk["stacks"].append(page.eval_on_selector("[data-spin]", STACK_ON_SCREEN))
        answered(page, name)
        sent = frames.take()
        walk["bytes"].append(sum(len(f.encode()) for f in sent))
        walk["router_bytes"].append(sum(router_bytes(f) for f in sent))
    page.context.close()
    return walk


def replay(browser: Browser, url: str, hex_colour: str, names: list[str]) -> Timings:
    page, _frames = open_build(browser, url, hex_colour)
    timings = Timings()
    for name in names:
        click_and_time(page, name, timings)
        answered(page, name)
    page.context.close()
    return timings


def floor_server(stacks: list[list[str]], sizes: str) -> tuple[http.server.HTTPServer, str]:
    html = (FLOOR_PAGE % {"sizes": sizes, "stacks": json.dumps(stacks)}).encode()
    return serve_page(html)


def floor_walk(browser: Browser, floor_url: str, clicks: int) -> Timings:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(floor_url)
    page.wait_for_function("() => [...document.querySelectorAll('.spin-stage img')].every(i => i.complete)")
    timings = Timings()
    for _ in range(clicks):
        page.evaluate(MEASURE)
        page.click("#next")
        timed(page, timings)
    page.context.close()
    return timings


def cut(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=20)[18]


def summary(timings: Timings, floor: Timings | None = None) -> dict:
    p50, p95 = cut(timings.ms)
    result: dict = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "n": len(timings.ms), "drawn": timings.drawn()}
    if floor:
        f50, f95 = cut(floor.ms)
        result.update(p50_ratio=round(p50 / f50, 2), p95_ratio=round(p95 / f95, 2))
    if timings.answer_ms:
        a50, a95 = cut(timings.answer_ms)
        result["answer"] = {"p50_ms": round(a50, 1), "p95_ms": round(a95, 1)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:3000")
    parser.add_argument("--clicks", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    # The paints are new every run, even with a --seed (which repeats the walk): the server keeps what it
    # drew, so a repeated paint would make the "cold" passes warm. Each pass reports how many of its
    # pictures the server drew (its Server-Timing), so that shows.
    build_hex, floor_hex = (f"{random.SystemRandom().randrange(1 << 24):06X}" for _ in range(2))
    with sync_playwright() as pw:
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        walk = build_walk(browser, args.url, build_hex, args.clicks, rng)
        # The same pictures in the floor's own paint (the custom paint is the URL's only hex).
        start = f"{args.url}/build?model=hatch&colour=custom&hex={build_hex}"
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(start)
        page.locator("[data-spin][data-preloaded=true]").wait_for()
        sizes = page.eval_on_selector("#car-picture", "i => i.sizes")
        first = page.eval_on_selector("[data-spin]", STACK_ON_SCREEN)
        page.close()
        # The custom paint is only in the base's URL (stack/body/{HEX}.webp): the pieces are the same.
        stacks = [[s.replace(f"/{build_hex}.", f"/{floor_hex}.") for s in stack] for stack in [first, *walk["stacks"]]]
        server, floor_url = floor_server(stacks, sizes)
        floor_cold = floor_walk(browser, floor_url, args.clicks)
        build_warm = replay(browser, args.url, build_hex, walk["names"])
        floor_warm = floor_walk(browser, floor_url, args.clicks)
        server.shutdown()
        browser.close()
    result = {
        "clicks": args.clicks,
        "seed": seed,
        "paints": {"build": build_hex, "floor": floor_hex},
        "cold": summary(walk["timings"], floor_cold),
        "warm": summary(build_warm, floor_warm),
        "floor_cold": summary(floor_cold),
        "floor_warm": summary(floor_warm),
        "bytes_per_pick": {
            "median": statistics.median(walk["bytes"]),
            "max": max(walk["bytes"]),
            "router_median": statistics.median(walk["router_bytes"]),
        },
    }
    for name in ("cold", "warm"):
        ours, floor = result[name], result[f"floor_{name}"]
        print(
            f"{name}: /build p50 {ours['p50_ms']} / p95 {ours['p95_ms']} ms; floor p50 {floor['p50_ms']} / "
            f"p95 {floor['p95_ms']} ms; ratio {ours['p50_ratio']}x / {ours['p95_ratio']}x; pictures drawn by the "
            f"server: /build {ours['drawn']}, floor {floor['drawn']}; the server's answer on screen (the card "
            f"checked) p50 {ours['answer']['p50_ms']} / p95 {ours['answer']['p95_ms']} ms"
        )
    per_pick = result["bytes_per_pick"]
    print(
        f"bytes the server sent per pick: median {per_pick['median']}, max {per_pick['max']} "
        f"(of which Reflex's router data: median {per_pick['router_median']})"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
