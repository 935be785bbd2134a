"""First-load benchmark (not a test): /build's car picture on screen, against a plain page showing the same picture.

    .venv/bin/python tests/bench/first_load.py                       # starts the embedded setup
    .venv/bin/python tests/bench/first_load.py --url http://localhost:3000 --rounds 9

In Chromium, each round opens a fresh browser context (nothing cached) and times navigation start →
the car picture loaded and on screen, for:
- floor: a plain HTML page (from a bare local HTTP server) whose only content is an <img> of the
  same picture from the app's picture route;
- build: the app's /build for the same build (its picture, 800 wide, drawn already on the server);
- build again: the same context loads /build a second time (a returning visitor: the hashed
  scripts come from the browser's cache without asking the server).
Prints medians, the ratio to the floor and the requests each load made; the last line is JSON.
"""

import argparse
import http.server
import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from app.catalog import load_catalogue  # noqa: E402
from app.render import CarPictures  # noqa: E402
from tests.bench.floor_page import serve_page  # noqa: E402
from tests.browser import CHROMIUM_ARGS  # noqa: E402

QUERY = {"model": "hatch", "colour": "racing-green"}  # one choice from the default: precomputed
CAR_ON_SCREEN = """(path) => {
  const img = [...document.images].find(i => i.currentSrc.endsWith(path) && i.complete && i.naturalWidth > 0);
  return img ? performance.now() : null;
}"""


def expected_path() -> str:
    catalogue = load_catalogue()
    pictures = CarPictures(catalogue, Path(tempfile.mkdtemp()) / "unused")
    build = catalogue.build_from(QUERY["model"], {"colour": QUERY["colour"]})
    paths, _alt = pictures.paths_and_alt(build, catalogue.model(QUERY["model"]).views[0])
    return paths[catalogue.widths.index(800)]


def plain_page_server(app_url: str, path: str) -> tuple[http.server.HTTPServer, str]:
    html = (
        "<!doctype html><html><head><meta charset=utf-8><title>plain</title></head><body>"
        f'<img id=car src="{app_url}{path}" width=800 alt="the car"></body></html>'
    ).encode()
    return serve_page(html)


def timed_load(context, url: str, path: str) -> tuple[float, int]:
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="commit")
    handle = page.wait_for_function(CAR_ON_SCREEN, arg=path, timeout=60_000, polling="raf")
    ms = handle.json_value()
    page.close()
    return ms, len(requests)


def measure(browser: Browser, app_url: str, rounds: int) -> dict:
    path = expected_path()
    plain, plain_url = plain_page_server(app_url, path)
    build_url = f"{app_url}/build?model={QUERY['model']}&colour={QUERY['colour']}"
    runs: dict[str, list[tuple[float, int]]] = {"floor": [], "build": [], "build_again": []}
    try:
        for _ in range(rounds):
            with_context(browser, lambda c: runs["floor"].append(timed_load(c, plain_url, path)))

            def both(context):
                runs["build"].append(timed_load(context, build_url, path))
                runs["build_again"].append(timed_load(context, build_url, path))

            with_context(browser, both)
    finally:
        plain.shutdown()
    summary = {
        name: {
            "car_visible_ms": round(statistics.median(ms for ms, _ in values), 1),
            "requests": round(statistics.median(n for _, n in values)),
        }
        for name, values in runs.items()
    }
    floor = summary["floor"]["car_visible_ms"]
    for name in ("build", "build_again"):
        summary[name]["ratio_to_floor"] = round(summary[name]["car_visible_ms"] / floor, 1)
    return summary


def with_context(browser: Browser, use) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        use(context)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (otherwise the embedded setup is started)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            if args.url:
                result = measure(browser, args.url.rstrip("/"), args.rounds)
            else:
                from tests.bench.load import serving, warm_picture_cache

                with tempfile.TemporaryDirectory(prefix="motorjoy-first-load-") as scratch:
                    warm_picture_cache(Path(scratch))
                    with serving("embedded", Path(scratch), idle_seconds=300) as server:
                        result = measure(browser, server.url, args.rounds)
        finally:
            browser.close()
    for name, figures in result.items():
        ratio = f" ({figures['ratio_to_floor']}× the floor)" if "ratio_to_floor" in figures else ""
        print(f"{name:<12} car visible {figures['car_visible_ms']:>7} ms{ratio}, {figures['requests']} requests")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
