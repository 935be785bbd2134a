"""Referrals that never go silent: a personal invite link, the friend's build and order remember it, and the
inviter hears a thank-you when the friend orders and again when the friend's car comes home.

No money, no points, no tiers: the same thank-you for everyone. The inviter only ever sees a friend's first
name and stage, and invite tokens are random, so nobody can walk through them.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from app import settings
from app.club.birthdays import car_name, first_name
from app.club.compose import queue_words, render_copy
from app.club.outbox import OutboxMail
from app.club.preferences import email_key, wants
from app.club.templates import template
from app.content.journey import DELIVERED
from app.content.store import published_values
from app.orders.models import Order, StageEvent, utcnow
from app.orders.numbers import tracking_link
from app.orders.story import latest_stage

_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
_TOKEN_IN_TEXT = re.compile(r"(?:invite=)?([A-Za-z0-9_-]{22})\s*$")


class ReferralError(ValueError):
    """An invite we can't use; the message is for the dealer, and nothing was changed."""


class Invite(SQLModel, table=True):
    """One buyer's personal invite link (one per order); the token is random and is the whole link."""

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(index=True, unique=True, max_length=32)
    order_id: int = Field(foreign_key="orders.id", unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class Referral(SQLModel, table=True):
    """A friend who came through an invite: first their saved build, then (maybe) their order."""

    __tablename__ = "referrals"
    __table_args__ = (sa.UniqueConstraint("invite_id", "build_code", name="uq_referrals_invite_build"),)

    id: int | None = Field(default=None, primary_key=True)
    invite_id: int = Field(foreign_key="invites.id", index=True)
    build_code: str = Field(default="", max_length=8, index=True)
    friend_order_id: int | None = Field(default=None, foreign_key="orders.id", unique=True)
    created_at: datetime = Field(default_factory=utcnow)


@dataclass
class Friend:
    """What an inviter may know about a friend: a first name and a stage, nothing else."""

    first_name: str
    stage: str
    home: bool = False


def invite_of(session: Session, order: Order) -> Invite | None:
    """The order's invite, if it has been made yet (only reads; `invite_for` makes it)."""
    return session.exec(select(Invite).where(Invite.order_id == order.id)).first()


def invite_for(session: Session, order: Order) -> Invite:
    """The order's invite, made on first use."""
    invite = invite_of(session, order)
    if invite is not None:
        return invite
    invite = Invite(token=secrets.token_urlsafe(16), order_id=order.id or 0)
    try:
        with session.begin_nested():
            session.add(invite)
    except sa.exc.IntegrityError:  # another tab made it a moment ago
        return session.exec(select(Invite).where(Invite.order_id == order.id)).one()
    return invite


def invite_path(invite: Invite) -> str:
    return f"/build?invite={invite.token}"


def find_invite(session: Session, token: object) -> tuple[Invite, Order] | None:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    invite = session.exec(select(Invite).where(Invite.token == token)).first()
    order = session.get(Order, invite.order_id) if invite else None
    return (invite, order) if invite and order else None


def warm_note(inviter: Order) -> str:
    """What the friend sees on /build: "Alex's car is called McGregor. Build yours." """
    name = first_name(inviter)
    if inviter.nickname.strip():
        return f"{name}'s car is called {inviter.nickname.strip()}. Build yours."
    return f"{name} thinks you'd love one of these. Build yours."


def remember_build(session: Session, token: object, build_code: str) -> bool:
    """Note that the build saved as `build_code` came through this invite; False for a token that isn't one."""
    found = find_invite(session, token)
    if found is None:
        return False
    invite, _inviter = found
    exists = select(Referral.id).where(Referral.invite_id == invite.id, Referral.build_code == build_code)
    if session.exec(exists).first() is None:
        session.add(Referral(invite_id=invite.id or 0, build_code=build_code))
        session.flush()
    return True


def inviter_of_build(session: Session, build_code: str) -> tuple[str, str] | None:
    """(invite token, "Alex (McGregor)") for a build saved from an invite, for the dealer's order form."""
    referral = session.exec(
        select(Referral).where(Referral.build_code == build_code).order_by(col(Referral.created_at).desc())
    ).first()
    invite = session.get(Invite, referral.invite_id) if referral else None
    inviter = session.get(Order, invite.order_id) if invite else None
    if invite is None or inviter is None:
        return None
    return invite.token, who_invited(inviter)


def who_invited(inviter: Order) -> str:
    nickname = inviter.nickname.strip()
    return f"{first_name(inviter)} ({nickname}'s owner)" if nickname else first_name(inviter)


def checked_invite(session: Session, text: object) -> tuple[Invite, Order] | None:
    """The invite a dealer typed or kept (a token or a whole invite link); None when left empty.

    Raises ReferralError for text that names no invite, so the dealer can fix it before the order is placed.
    """
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        return None
    match = _TOKEN_IN_TEXT.search(text)
    found = find_invite(session, match.group(1)) if match else None
    if found is None:
        raise ReferralError("That invite link isn't one of ours. Paste the whole link, or leave it empty.")
    return found


def link_order(session: Session, friend: Order, invite: Invite, now: datetime) -> Referral | None:
    """Link the friend's new order to the invite (not the inviter's own order) and thank the inviter at once."""
    inviter = session.get(Order, invite.order_id)
    if inviter is None or email_key(inviter.customer_email) == email_key(friend.customer_email):
        return None  # nobody thanks themselves
    referral = session.exec(
        select(Referral).where(Referral.invite_id == invite.id, Referral.build_code == friend.build_code)
    ).first()
    if referral is not None and referral.friend_order_id is not None:
        return None  # this build already made its order (a resubmitted form): thanked once already
    referral = referral or Referral(invite_id=invite.id or 0, build_code=friend.build_code)
    referral.friend_order_id = friend.id
    session.add(referral)
    session.flush()
    _thank(session, inviter, friend, "referral_ordered", now)
    return referral


def friends_of(session: Session, inviter: Order) -> list[Friend]:
    """The friends who ordered through this buyer's invite: first name and stage only."""
    invite = session.exec(select(Invite).where(Invite.order_id == inviter.id)).first()
    if invite is None:
        return []
    friends = session.exec(
        select(Order)
        .join(Referral, col(Referral.friend_order_id) == Order.id)
        .where(Referral.invite_id == invite.id)
        .order_by(col(Order.placed_at))
    ).all()
    return [Friend(first_name(friend), latest_stage(session, friend), _is_home(session, friend)) for friend in friends]


def _is_home(session: Session, order: Order) -> bool:
    home = select(StageEvent.id).where(StageEvent.order_id == order.id, StageEvent.stage == DELIVERED)
    return session.exec(home).first() is not None


def driving_line(friends: list[Friend]) -> str:
    """'2 friends are driving because of you', counting only the cars that are home."""
    driving = sum(1 for friend in friends if friend.home)
    if driving == 0:
        return ""
    return "1 friend is driving because of you" if driving == 1 else f"{driving} friends are driving because of you"


def queue_referral_thanks(session: Session, now: datetime) -> list[str]:
    """Every thank-you that is due and not yet queued (ordered, and delivered once the friend's car is home)."""
    queued = []
    pairs = session.exec(
        select(Referral, Invite)
        .join(Invite, col(Invite.id) == Referral.invite_id)
        .where(col(Referral.friend_order_id).is_not(None))
    ).all()
    for referral, invite in pairs:
        inviter, friend = session.get(Order, invite.order_id), session.get(Order, referral.friend_order_id)
        if inviter is None or friend is None:
            continue
        kinds = ["referral_ordered", "referral_delivered"] if _is_home(session, friend) else ["referral_ordered"]
        queued += [key for kind in kinds if (key := _thank(session, inviter, friend, kind, now))]
    return queued


def _thank(session: Session, inviter: Order, friend: Order, kind: str, now: datetime) -> str:
    """Queue one thank-you (once: the key names the friend's order and the occasion); returns the new key or ""."""
    key = f"{kind}:{friend.number}"
    already = session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is not None
    if already or not wants(session, kind, inviter.customer_email):
        return ""
    copy = template(kind, published_values(session))
    values = {
        "name": car_name(inviter),
        "owner": first_name(inviter),
        "friend": first_name(friend),
        "invite_link": settings.public_url() + invite_path(invite_for(session, inviter)),
        "tracking_link": settings.public_url() + tracking_link(inviter.number),
    }
    words = render_copy(copy.subject, copy.body, values)
    queue_words(session, inviter, kind, key, words, now)
    return key
