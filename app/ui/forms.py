"""Small shared form pieces, so every field has a real, clickable label."""

import reflex as rx


def field_label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(text, html_for=html_for, style={"font_size": "var(--font-size-2)", "font_weight": "500"})
