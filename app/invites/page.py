"""The invite pieces of /build (the warm note) and of the tracker (bring a friend, and who came)."""

import reflex as rx

from app.club.referrals import Friend
from app.invites.state import InviterState, InviteState


def invite_note() -> rx.Component:
    """'Alex's car is called McGregor. Build yours.' for a friend who came through an invite link."""
    return rx.cond(
        InviteState.note != "",
        rx.callout(
            rx.flex(
                rx.text(InviteState.note, weight="medium"),
                rx.button("Not for me, thanks", on_click=InviteState.forget, variant="ghost", size="1"),
                justify="between",
                align="center",
                gap="0.75rem",
                wrap="wrap",
                width="100%",
            ),
            icon="heart-handshake",
            color_scheme="amber",
            id="invite-note",
            margin_bottom="1rem",
            width="100%",
        ),
    )


def friend_item(friend: Friend) -> rx.Component:
    return rx.el.li(rx.text(rx.text.strong(friend.first_name), " · ", friend.stage, size="2"))


def bring_a_friend() -> rx.Component:
    return rx.cond(
        InviterState.path != "",
        rx.card(
            rx.vstack(
                rx.heading("Bring a friend into the club", as_="h2", size="4"),
                rx.cond(
                    InviterState.driving != "",
                    rx.text(InviterState.driving, size="5", weight="bold", id="friends-driving"),
                ),
                rx.text(
                    "Your own invite link opens Build your own with a note from you. If a friend orders, we'll "
                    "say thank you, and again when their car is home. No points, no prizes: just thanks.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.flex(
                    rx.button(rx.icon("link", size=16), "Copy my invite link", on_click=InviterState.copy, size="2"),
                    rx.link("Open it", href=InviterState.path, is_external=True, size="2", id="invite-link"),
                    gap="0.75rem",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(
                    InviterState.friends.length() > 0,
                    rx.el.ul(
                        rx.foreach(InviterState.friends, friend_item),
                        aria_label="Friends who came through your invite",
                        id="invited-friends",
                        style={"padding_left": "1rem", "margin": "0"},
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
    )
