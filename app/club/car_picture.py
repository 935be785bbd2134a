"""The ordered car's picture for a club mail: a JPEG of the car exactly as it was ordered."""

import dataclasses
import logging

from app.catalog import BuildError
from app.orders.story import spec_picture
from app.render import BadPictureRequest, CarPictures, parse_car_path

log = logging.getLogger(__name__)

PICTURE_WIDTH = 800  # the letter is 560 px wide: sharp on a high-density screen, small in the mail


def mail_picture(pictures: CarPictures, spec: dict) -> bytes | None:
    """The ordered car from its hero angle (views[0], the flattering front three-quarter), about 800 px wide.

    Options retired since are still drawn (the order keeps its picture); None only for a spec we have
    no record of, or if drawing fails: a mail without its picture still goes, a missing mail doesn't.
    """
    paths, _alt = spec_picture(pictures, spec)
    if not paths:
        return None
    width = min(pictures.catalogue.widths, key=lambda w: abs(w - PICTURE_WIDTH))
    try:
        key = parse_car_path(paths[0], pictures.catalogue)
        return pictures.picture(dataclasses.replace(key, width=width, format="jpg"))
    except (BadPictureRequest, BuildError, OSError, ValueError):
        log.exception("the mail picture of a %s failed", spec.get("model"))
        return None
