"""Demo orders at every stage of the journey, so a fresh install has cars to follow; seeding twice changes nothing."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app import db
from app.catalog import Catalogue
from app.content.stages import STAGE_IDS
from app.orders.models import Order, StageEvent
from app.orders.placement import frozen, spec_of
from app.staff.models import Dealership

# (number, nickname, customer, email, dealership, model, choices, stages reached)
DEMO_ORDERS = (
    (
        "MJ4K7QX2",
        "McGregor",
        "Fiona MacLeod",
        "fiona@example.com",
        "Motorjoy Glasgow",
        "hatch",
        {"colour": "racing-green", "stripes": "stripes-twin-white"},
        5,
    ),
    (
        "MJ9TWP3H",
        "Biscuit",
        "Sam Okafor",
        "sam@example.com",
        "Motorjoy Bristol",
        "convertible",
        {"colour": "sherbet-yellow", "roof": "softtop-navy"},
        2,
    ),
    (
        "MJ2RNC8V",
        "Pickle",
        "Ana Ribeiro",
        "ana@example.com",
        "Motorjoy Glasgow",
        "hatch",
        {"colour": "seafoam", "wheels": "wheels-dish"},
        8,
    ),
    (
        "MJ7HQM4D",
        "Dot",
        "Priya Nair",
        "priya@example.com",
        "Motorjoy Leeds",
        "hatch",
        {"colour": "pepper-white", "badge_bar": "badgebar-rally"},
        1,
    ),
    (
        "MJ3VKX9B",
        "Bramble",
        "Tom Hughes",
        "tom@example.com",
        "Motorjoy Glasgow",
        "convertible",
        {"colour": "midnight-blue"},
        3,
    ),
    (
        "MJ8CJP2W",
        "Rocket",
        "Leah Cohen",
        "leah@example.com",
        "Motorjoy Bristol",
        "hatch",
        {"colour": "chili-red", "roof": "roof-black", "stripes": "stripes-twin-black"},
        4,
    ),
    (
        "MJ5ZTG7R",
        "Maple",
        "Owen Price",
        "owen@example.com",
        "Motorjoy Leeds",
        "convertible",
        {"colour": "liquorice-black", "roof": "softtop-tan"},
        6,
    ),
    (
        "MJ6WDN3K",
        "Clementine",
        "Mei Chen",
        "mei@example.com",
        "Motorjoy Glasgow",
        "hatch",
        {"colour": "sherbet-yellow", "mirrors": "mirrors-black"},
        7,
    ),
)
DAYS_BETWEEN_STAGES = 9


def seed_demo_orders(session: Session, catalogue: Catalogue, now: datetime | None = None) -> int:
    """Add any demo order that is missing; returns how many were added. Needs the demo dealerships."""
    now = now or datetime.now(UTC)
    existing = set(session.exec(select(Order.number)).all())
    dealerships = {d.name: d.id for d in session.exec(select(Dealership)).all()}
    added = 0
    for index, (number, nickname, name, email, dealership, model_id, choices, reached) in enumerate(DEMO_ORDERS):
        if number in existing:
            continue
        build = catalogue.build_from(model_id, choices)
        spec, spec_hash = frozen(spec_of(catalogue, build))
        placed = now - timedelta(days=DAYS_BETWEEN_STAGES * reached + 2)
        order = Order(
            number=number,
            nickname=nickname,
            customer_name=name,
            customer_email=email,
            model_id=model_id,
            dealership_id=dealerships.get(dealership),
            spec=spec,
            spec_hash=spec_hash,
            total_price=spec_of(catalogue, build)["total"],
            placed_at=placed,
            # Every other demo buyer said yes to the club's mail, so the demo has mail to show.
            stage_news=index % 2 == 0,
            club_news=index % 2 == 0,
        )
        session.add(order)
        session.flush()
        for index, stage in enumerate(STAGE_IDS[:reached]):
            reached_at = min(placed + timedelta(days=index * DAYS_BETWEEN_STAGES), now)
            session.add(StageEvent(order_id=db.id_of(order), stage=stage, source="demo data", reached_at=reached_at))
        added += 1
    return added


def demo_order_at(session: Session, stage: str) -> Order | None:
    """The demo order whose journey has got as far as `stage` (the studio previews the tracker with it)."""
    for number, *_rest, reached in DEMO_ORDERS:
        if STAGE_IDS[reached - 1] == stage:
            return session.exec(select(Order).where(Order.number == number)).first()
    return None
