"""The car's picture as the page shows it: served by the backend's picture route, sized per screen."""

from collections.abc import Sequence

import reflex as rx
from reflex.vars import Var, VarData

from app.catalog import Build
from app.render import car_pictures

# The picture route lives on the backend, which in dev mode is another port than the page's.
_BACKEND_ORIGIN = Var(
    _js_expr="getBackendURL(env.PING).origin",
    _var_data=VarData(
        imports={"$/utils/state": "getBackendURL", "$/env.json": rx.ImportVar(tag="env", is_default=True)}
    ),
).to(str)


def backend_src(path: str | Var[str]) -> str:
    """A picture path on the backend as an absolute URL the page can load."""
    return f"{_BACKEND_ORIGIN}{path}"


def _once_named(path: str | Var[str], url: str | Var[str]) -> str | Var[str]:
    # A state's paths are empty (or not there yet) until it names a build: then the <img> has no URL at all
    # (the server may have put one in the page's HTML, which React keeps), not the backend's own address.
    return url if isinstance(path, str) else rx.cond(path, url, "")


def car_img(paths: Sequence[str | Var[str]], alt: str | Var[str], sizes: str = "100vw", **props) -> rx.Component:
    """A car picture from its paths at each of the catalogue's widths (static strings or state vars)."""
    widths = car_pictures().catalogue.widths
    srcset = ", ".join(f"{backend_src(path)} {width}w" for width, path in zip(widths, paths, strict=True))
    return rx.el.img(
        src=_once_named(paths[0], backend_src(paths[0])),
        src_set=_once_named(paths[0], srcset),
        sizes=sizes,
        alt=alt,
        width="100%",
        height="auto",
        style={"aspect_ratio": "16 / 9", "display": "block", "border_radius": "var(--radius-5)"},
        **props,
    )


def car_picture(build: Build, view: str, sizes: str = "100vw", **props) -> rx.Component:
    """A fixed build's picture, worked out when the page is compiled."""
    paths, alt = car_pictures().paths_and_alt(build, view)
    return car_img(paths, alt, sizes, **props)
