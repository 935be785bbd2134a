"""Car pictures: layers composited with Pillow, cached, and served at /car/... (no Reflex state)."""

from app.render.alt import alt_text
from app.render.key import BadPictureRequest, RenderKey, parse_car_path, render_key
from app.render.pictures import CarPictures, car_pictures, open_pictures
from app.render.route import picture_routes

__all__ = [
    "BadPictureRequest",
    "CarPictures",
    "RenderKey",
    "alt_text",
    "car_pictures",
    "open_pictures",
    "parse_car_path",
    "picture_routes",
    "render_key",
]
