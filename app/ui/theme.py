"""Theme tokens: one place for the brand's colours, radii and type."""

from typing import Any

import reflex as rx

# Chili red accent on warm sand greys: a car club, not a bank.
THEME = rx.theme(accent_color="tomato", gray_color="sand", radius="large", scaling="100%")
# Every Radix colour scale a page names (color_scheme, rx.color, var(--<scale>-N) in styles and assets):
# the others' values are left out of the stylesheet (app.ui.radix_css). A test reads the code for new ones.
COLOUR_SCALES = ("tomato", "sand", "gray", "grass", "amber", "red", "iris", "blue", "pink")
# The Radix breakpoints props are given for (rx.breakpoints(initial=..., md=...)); the others' responsive
# classes are left out of the stylesheet too. Radix's are xs (520px), sm, md, lg and xl (1640px).
BREAKPOINTS = ("sm", "md", "lg")

CONTENT_WIDTH = "72rem"

GLOBAL_STYLE: dict[Any, Any] = {  # Reflex keys styles by name, component or selector
    "font_family": "'Inter', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "::selection": {"background": "var(--accent-a5)"},
    # Everyone who navigates by keyboard sees where they are.
    ":focus-visible": {"outline": "3px solid var(--accent-9)", "outline_offset": "3px"},
    # Read aloud by screen readers, invisible on screen.
    ".sr-only": {
        "position": "absolute",
        "width": "1px",
        "height": "1px",
        "overflow": "hidden",
        "clip": "rect(0 0 0 0)",
        "white_space": "nowrap",
    },
    # The nudge dialog (drawn by assets/nudge.js): the brand's card, over a soft dimmed page.
    "dialog.nudge": {
        "border": "1px solid var(--gray-6)",
        "border_radius": "var(--radius-5)",
        "padding": "1.5rem",
        "max_width": "min(26rem, calc(100vw - 2rem))",
        "margin": "auto",  # the style reset zeroes the margin that centres a modal dialog
        "background": "var(--color-panel-solid)",
        "color": "var(--gray-12)",
        "box_shadow": "var(--shadow-6)",
    },
    "dialog.nudge::backdrop": {"background": "rgba(0, 0, 0, 0.35)"},
    "dialog.nudge h2": {"font_size": "var(--font-size-5)", "font_weight": "700", "margin": "0 0 0.5rem"},
    "dialog.nudge p": {"font_size": "var(--font-size-3)", "margin": "0 0 1.25rem", "color": "var(--gray-11)"},
    ".nudge-actions": {"display": "flex", "flex_wrap": "wrap", "gap": "0.5rem"},
    ".nudge-actions button": {
        "font": "inherit",
        "padding": "0.55rem 1rem",
        "border_radius": "var(--radius-3)",
        "border": "1px solid var(--accent-7)",
        "background": "var(--accent-3)",
        "color": "var(--accent-11)",
        "cursor": "pointer",
    },
    ".nudge-actions button:first-child": {"background": "var(--accent-9)", "color": "var(--accent-contrast)"},
    ".nudge-actions .nudge-quiet": {"border": "none", "background": "none", "text_decoration": "underline"},
    # Delivery-day confetti (the tracker); it falls once, and never for people who prefer less motion.
    "@keyframes confetti-fall": {
        "0%": {"transform": "translateY(-10vh) rotate(0deg)", "opacity": "1"},
        "100%": {"transform": "translateY(100vh) rotate(540deg)", "opacity": "0"},
    },
    ".confetti": {"position": "fixed", "inset": "0", "pointer_events": "none", "overflow": "hidden", "z_index": "30"},
    ".confetti-piece": {
        "position": "absolute",
        "top": "0",
        "width": "0.6rem",
        "height": "1rem",
        "border_radius": "2px",
        "animation": "confetti-fall 3.2s ease-in both",  # hidden above the page until its turn
    },
    # The car's spin (assets/spin.js): a slider laid over the picture; vertical swipes still scroll the page.
    ".car-spin": {
        "width": "100%",
        "display": "flex",
        "flex_direction": "column",
        "align_items": "center",
        "gap": "0.5rem",
    },
    ".spin-stage": {"position": "relative", "width": "100%"},
    # A stack's pieces lie exactly over the picture (the same box, the same widths to choose from).
    ".spin-pieces": {"position": "absolute", "inset": "0", "pointer_events": "none"},
    ".spin-pieces img": {
        "position": "absolute",
        "inset": "0",
        "width": "100%",
        "height": "100%",
        "display": "block",
        "border_radius": "var(--radius-5)",
    },
    ".spin-handle": {
        "position": "absolute",
        "inset": "0",
        "border_radius": "var(--radius-5)",
        "cursor": "grab",
        "touch_action": "pan-y",
        "user_select": "none",
        "-webkit-user-select": "none",
    },
    ".spin-handle[data-dragging]": {"cursor": "grabbing"},
    ".spin-controls": {
        "display": "flex",
        "align_items": "center",
        "gap": "0.75rem",
        "width": "100%",
        "justify_content": "center",
    },
    # The label takes what the buttons leave (two lines on a phone), so they stay either side of it.
    ".spin-label": {
        "flex": "0 1 13rem",
        "min_width": "0",
        "text_align": "center",
        "font_size": "var(--font-size-2)",
        "color": "var(--gray-11)",
    },
    ".spin-label::after": {"content": "attr(data-spin-label)"},  # see app/ui/spin.py
    ".spin-help": {"font_size": "var(--font-size-1)", "color": "var(--gray-11)", "margin": "0"},
    # A printed build summary: the picture, the price and the options, none of the page's controls.
    "@media print": {
        "header, footer, nav, .no-print": {"display": "none !important"},
        "body": {"background": "white"},
        ".print-single": {"display": "flex !important", "flex_direction": "column"},
        ".print-first": {"order": "-1 !important"},
    },
    "@media (prefers-reduced-motion: reduce)": {
        "*": {"animation_duration": "0.01ms !important", "transition_duration": "0.01ms !important"},
        ".confetti": {"display": "none"},
    },
}
