"""What a share shows: a saved build's card, or a milestone link that reveals only nickname, picture and stage."""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from app.catalog import Build, Catalogue
from app.configurator.builds import open_saved
from app.configurator.codes import normalise_code
from app.content.journey import Journey
from app.orders.models import Order, utcnow
from app.orders.story import spec_build
from app.sharing.card import CARD_DESIGN

_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")

# One line per stage, in the club's voice; "{name}" starts the sentence. A stage without one says its label.
MILESTONE_LINES = {
    "ordered": "{name} has been ordered. The wait begins!",
    "scheduled": "{name} has a build date at the plant",
    "built": "{name} is built, every bolt checked twice",
    "awaiting_transport": "{name} is at the port, waiting for a ship",
    "at_sea": "{name} is crossing the ocean",
    "port_processing": "{name} has landed and is clearing the port",
    "at_dealer": "{name} is at the dealer, nearly home",
    "delivered": "{name} is home",
}
BUILD_LINE = "Built on Motorjoy, one happy choice at a time. Build yours."


class ShareLink(SQLModel, table=True):
    """A public link to one milestone of one car: the token is random, so links can't be guessed or counted."""

    __tablename__ = "share_links"
    __table_args__ = (sa.UniqueConstraint("order_id", "stage", name="uq_share_links_order_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(index=True, unique=True, max_length=32)
    order_id: int = Field(foreign_key="orders.id", index=True)
    stage: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)


@dataclass(frozen=True)
class CardSubject:
    """Everything a card and its page show, and nothing else (no order number, no name, no private link)."""

    kind: str  # "build" | "milestone"
    ident: str  # the build code or the share token: both already public
    title: str
    line: str
    build: Build


def milestone_link(session: Session, order: Order, stage: str) -> ShareLink:
    """The order's public link for `stage`, made on first use; sharing the same milestone twice gives the same link."""
    existing = session.exec(select(ShareLink).where(ShareLink.order_id == order.id, ShareLink.stage == stage)).first()
    if existing is not None:
        return existing
    link = ShareLink(token=secrets.token_urlsafe(16), order_id=order.id or 0, stage=stage)
    try:
        with session.begin_nested():
            session.add(link)
    except sa.exc.IntegrityError:  # the same share from another tab won the race: use its link
        return session.exec(select(ShareLink).where(ShareLink.order_id == order.id, ShareLink.stage == stage)).one()
    return link


def _title(catalogue: Catalogue, build: Build, nickname: str) -> str:
    model = catalogue.model(build.model).name
    return f"{nickname}, a Motorjoy {model}" if nickname else f"A Motorjoy {model}"


def build_subject(session: Session, catalogue: Catalogue, code: str) -> CardSubject | None:
    normalised = normalise_code(code)
    opened = open_saved(session, catalogue, normalised) if normalised else None
    if opened is None or normalised is None:
        return None
    build, nickname, _notes = opened
    return CardSubject("build", normalised, _title(catalogue, build, nickname), BUILD_LINE, build)


def milestone_subject(session: Session, catalogue: Catalogue, trip: Journey, token: str) -> CardSubject | None:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    link = session.exec(select(ShareLink).where(ShareLink.token == token)).first()
    order = session.get(Order, link.order_id) if link else None
    build = spec_build(catalogue, json.loads(order.spec or "{}")) if order else None
    if link is None or order is None or build is None:
        return None
    name = order.nickname or f"This {catalogue.model(build.model).name}"
    labels = {stage.id: stage.label for stage in trip.stages}
    line = MILESTONE_LINES.get(link.stage, "{name}: " + labels.get(link.stage, link.stage)).format(name=name)
    return CardSubject("milestone", token, _title(catalogue, build, order.nickname), line, build)


def card_version(catalogue: Catalogue, subject: CardSubject) -> str:
    """Names exactly what the card shows: a new picture, price list, design or words give a new URL."""
    words = "|".join((catalogue.asset_version, CARD_DESIGN, subject.title, subject.line, repr(subject.build)))
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def card_path(catalogue: Catalogue, subject: CardSubject) -> str:
    return f"/share-card/{card_version(catalogue, subject)}/{subject.kind}/{subject.ident}.jpg"
