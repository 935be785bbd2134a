"""The journey as a picture: plant → port → ocean → port → dealer, with the car where it is now (SVG)."""

from html import escape

PLACES = (("Plant", 70), ("Departure port", 250), ("Arrival port", 590), ("Your dealer", 760))
# Where the car sits for each stage; at sea it sails between the ports as the days go by.
STAGE_X = {
    "ordered": 70,
    "scheduled": 70,
    "built": 70,
    "awaiting_transport": 250,
    "port_processing": 590,
    "at_dealer": 760,
    "delivered": 760,
}
SEA_FROM, SEA_TO = 250, 590


def car_x(stage: str, sea_fraction: float = 0.5) -> float:
    if stage == "at_sea":
        return SEA_FROM + (SEA_TO - SEA_FROM) * min(max(sea_fraction, 0.05), 0.95)
    return STAGE_X.get(stage, 70)


def _leg(x1: int, x2: int, colour: str, dashes: str) -> str:
    return f'<line x1="{x1}" y1="92" x2="{x2}" y2="92" stroke="{colour}" stroke-width="3" stroke-dasharray="{dashes}"/>'


def journey_svg(stage: str, stage_label: str, sea_fraction: float = 0.5) -> str:
    """A self-contained SVG (no user text inside but the escaped stage label)."""
    x = car_x(stage, sea_fraction)
    places = "".join(
        f'<circle cx="{px}" cy="92" r="9" fill="var(--accent-9)"/>'
        f'<text x="{px}" y="132" text-anchor="middle" font-size="20" fill="currentColor">{name}</text>'
        for name, px in PLACES
    )
    waves = "".join(
        f'<path d="M {wx} 104 q 10 -8 20 0 t 20 0" fill="none" stroke="var(--blue-8)" stroke-width="2"/>'
        for wx in range(SEA_FROM + 30, SEA_TO - 40, 60)
    )
    car = (
        f'<g transform="translate({x - 22:.0f} 52)">'
        '<rect x="0" y="12" width="44" height="16" rx="7" fill="var(--accent-10)"/>'
        '<path d="M 9 13 L 14 3 Q 15 1 18 1 L 29 1 Q 32 1 33 3 L 37 13 Z" fill="var(--accent-10)"/>'
        '<circle cx="11" cy="29" r="5" fill="var(--gray-12)"/><circle cx="33" cy="29" r="5" fill="var(--gray-12)"/>'
        # At sea it rides on a ship.
        + ('<path d="M -14 34 L 58 34 L 48 48 L -4 48 Z" fill="var(--gray-11)"/>' if stage == "at_sea" else "")
        + "</g>"
    )
    return (
        f'<svg viewBox="0 0 830 150" width="100%" role="img" aria-label="Where your car is now: {escape(stage_label)}"'
        ' xmlns="http://www.w3.org/2000/svg" style="color: var(--gray-11); max-width: 100%">'
        f"{_leg(70, SEA_FROM, 'var(--gray-8)', '6 6')}{_leg(SEA_FROM, SEA_TO, 'var(--blue-8)', 'none')}"
        f"{_leg(SEA_TO, 760, 'var(--gray-8)', '6 6')}{waves}{places}{car}</svg>"
    )
