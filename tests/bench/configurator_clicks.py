"""Benchmark (not a test): click an option on /build → the new picture decoded on screen, in Chromium.

    .venv/bin/python tests/bench/configurator_clicks.py --url http://localhost:3000 --clicks 50

Drives a running production build (`python3 quickstart.py serve`). The walk starts from a random
custom paint, so every picture of the first pass is new to the server (cache miss: cold); the same
clicks are then replayed in a fresh browser (no browser cache) so every picture is a server cache
hit (warm). Prints p50/p95 per pass; the last line is one JSON object.
"""

import argparse
import json
import random
import shutil
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: the checkout's packages
from tests.browser import CHROMIUM_ARGS

MODELS = ("Hatch", "Convertible")  # switching model is not an option click

# Arms a promise (kept on window: Playwright would otherwise wait for it before clicking) that resolves
# with the ms from the click to the moment a new picture is loaded and decoded.
MEASURE = """() => { window.__click = new Promise(resolve => {
  const img = document.getElementById('car-picture');
  const before = img.currentSrc;
  let t0 = null;
  document.addEventListener('click', () => { t0 = performance.now(); }, {capture: true, once: true});
  const check = () => {
    if (t0 !== null && img.currentSrc !== before && img.complete && img.naturalWidth > 0) {
      img.decode().then(() => resolve(performance.now() - t0));
    } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
}); }"""


def click_and_time(page: Page, name: str) -> float:
    page.evaluate(MEASURE)
    page.get_by_role("radio", name=name, exact=True).click()
    return page.evaluate("() => window.__click")


def open_start(page: Page, url: str, hex_colour: str) -> None:
    page.goto(f"{url}/build?model=hatch&colour=custom&hex={hex_colour}")
    page.wait_for_function("() => { const i = document.getElementById('car-picture'); return i && i.complete; }")


def cold_pass(browser, url: str, hex_colour: str, clicks: int, rng: random.Random) -> tuple[list[float], list[str]]:
    """A random walk of option clicks (enabled, not yet chosen), timed as it goes; returns timings and names."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_start(page, url, hex_colour)
    timings, names = [], []
    for _ in range(clicks):
        options = page.locator("section [role=radio][aria-checked=false]:not([disabled])").all()
        labels = [o.get_attribute("aria-label") for o in options]
        name = rng.choice([label for label in labels if label not in MODELS])
        names.append(name)
        timings.append(click_and_time(page, name))
    context.close()
    return timings, names


def run_pass(browser, url: str, hex_colour: str, names: list[str]) -> list[float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_start(page, url, hex_colour)
    timings = [click_and_time(page, name) for name in names]
    context.close()
    return timings


def summary(timings: list[float]) -> dict:
    cuts = statistics.quantiles(timings, n=20)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(cuts[18], 1), "n": len(timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:3000")
    parser.add_argument("--clicks", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    hex_colour = f"{random.Random(seed).randrange(1 << 24):06X}"
    with sync_playwright() as pw:
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        cold, names = cold_pass(browser, args.url, hex_colour, args.clicks, random.Random(seed))
        warm = run_pass(browser, args.url, hex_colour, names)
        browser.close()
    result = {"clicks": args.clicks, "seed": seed, "cold": summary(cold), "warm": summary(warm)}
    print(f"cold (server cache miss): p50 {result['cold']['p50_ms']} ms, p95 {result['cold']['p95_ms']} ms")
    print(f"warm (server cache hit):  p50 {result['warm']['p50_ms']} ms, p95 {result['warm']['p95_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
