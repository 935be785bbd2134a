"""Small shared form pieces, so every field has a real, clickable label."""

import reflex as rx


def field_label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(text, html_for=html_for, style={"font_size": "var(--font-size-2)", "font_weight": "500"})


def tied_to_error(error, error_id: str) -> dict:
    """Props that tie a field to its error message: read with the field, and marked invalid while shown."""
    return {"aria_describedby": error_id, "aria_invalid": rx.cond(error != "", "true", "false")}
