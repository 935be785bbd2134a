"""Theme tokens: one place for the brand's colours, radii and type."""

import reflex as rx

# Chili red accent on warm sand greys: a car club, not a bank.
THEME = rx.theme(accent_color="tomato", gray_color="sand", radius="large", scaling="100%")

CONTENT_WIDTH = "72rem"

GLOBAL_STYLE = {
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
