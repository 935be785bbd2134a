"""The check every entry point runs first: in production mode, refuse to start on unsafe settings.

`MOTORJOY_ENV=production` turns the embedded development defaults into refusals, each naming the
setting to fix; development (the default) runs as it always did.
"""

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from app import db, settings
from app.staff.demo import DEMO_STAFF
from app.staff.models import StaffUser


class UnsafeConfiguration(RuntimeError):
    """Production mode with settings we won't serve customers with; the message lists every one."""


def problems(*, check_demo_accounts: bool = True) -> list[str]:
    """Everything wrong with this configuration for production; empty in development or when all is well."""
    try:
        current = settings.load_settings()
    except ValueError as error:
        return [str(error)]
    if not current.production:
        return []
    found = current.production_problems()
    if check_demo_accounts and (demo := demo_accounts()):
        found.append(
            f"Demo staff accounts exist ({', '.join(demo)}), and their password is public: "
            "remove them with `motorjoy remove-demo-staff`."
        )
    return found


def demo_accounts() -> list[str]:
    """The active demo staff accounts in the database (none before the first migration)."""
    emails = [email for email, *_ in DEMO_STAFF]
    try:
        with db.session() as s:
            query = select(StaffUser.email).where(col(StaffUser.email).in_(emails), StaffUser.active)
            return sorted(s.exec(query).all())
    except SQLAlchemyError:  # no tables yet: `motorjoy migrate` is about to make them
        return []


def refuse_unsafe(**options: bool) -> None:
    """Raise UnsafeConfiguration listing every problem; the server and each command call this first."""
    if found := problems(**options):
        lines = "\n".join(f"  - {line}" for line in found)
        raise UnsafeConfiguration(f"MOTORJOY_ENV=production, but this isn't safe to run yet:\n{lines}")
