"""Demo dealerships and one staff sign-in per role, so a fresh install can be tried end to end.

DEMO ONLY: the password is printed by `motorjoy demo` and written here; never seed this into a real
database. Real staff accounts come from `motorjoy create-user`.
"""

from sqlmodel import Session, col, select

from app.staff.accounts import create_user
from app.staff.models import Dealership, StaffUser

DEMO_PASSWORD = "demo-password-1"  # demo only

DEMO_DEALERSHIPS = (
    ("Motorjoy Glasgow", "Glasgow"),
    ("Motorjoy Bristol", "Bristol"),
    ("Motorjoy Leeds", "Leeds"),
)

# (email, name, role, dealership)
DEMO_STAFF = (
    ("dealer@motorjoy.example", "Dana Dealer", "dealer", "Motorjoy Glasgow"),
    ("marketing@motorjoy.example", "Morgan Marketing", "marketing", None),
    ("admin@motorjoy.example", "Alex Admin", "admin", None),
)


def seed_demo_staff(session: Session) -> list[tuple[str, str, str]]:
    """Add missing demo dealerships and staff; returns (email, role, password) of users added now."""
    known = set(session.exec(select(Dealership.name)).all())
    for name, city in DEMO_DEALERSHIPS:
        if name not in known:
            session.add(Dealership(name=name, city=city))
    session.flush()
    existing = set(session.exec(select(StaffUser.email)).all())
    created = []
    for email, name, role, dealership in DEMO_STAFF:
        if email not in existing:
            create_user(session, email, name, role, DEMO_PASSWORD, dealership_name=dealership)
            created.append((email, role, DEMO_PASSWORD))
    return created


def remove_demo_staff(session: Session) -> list[str]:
    """Switch off the demo staff accounts (kept, not deleted: orders and notes name who placed them)."""
    emails = [email for email, *_ in DEMO_STAFF]
    users = session.exec(select(StaffUser).where(col(StaffUser.email).in_(emails), StaffUser.active)).all()
    for user in users:
        user.active = False
        session.add(user)
    session.flush()
    return sorted(user.email for user in users)
