"""The car's picture as the page shows it: served by the backend's picture route, sized per screen."""

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


def picture_urls(build: Build, view: str) -> dict[int, str]:
    """The picture's path at every width the renderer makes."""
    pictures = car_pictures()
    return {width: pictures.key(build, view, width).url() for width in pictures.catalogue.widths}


def picture_alt(build: Build, view: str) -> str:
    pictures = car_pictures()
    return pictures.alt(pictures.key(build, view, pictures.catalogue.widths[0]))


def car_picture(build: Build, view: str, sizes: str = "100vw", **props) -> rx.Component:
    """A picture of one build: the smallest file that is sharp on the screen it lands on."""
    urls = picture_urls(build, view)
    srcset = ", ".join(f"{_BACKEND_ORIGIN}{url} {width}w" for width, url in sorted(urls.items()))
    return rx.el.img(
        src=f"{_BACKEND_ORIGIN}{urls[max(urls)]}",
        src_set=srcset,
        sizes=sizes,
        alt=picture_alt(build, view),
        width="100%",
        height="auto",
        style={"aspect_ratio": "16 / 9", "display": "block", "border_radius": "var(--radius-5)"},
        **props,
    )
