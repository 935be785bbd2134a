"""A dealer's desk on a fresh database, for the tests that place orders (unit and browser alike)."""

from app import db
from app.catalog import load_catalogue
from app.configurator.builds import save_build
from app.staff.accounts import create_user, sign_in
from app.staff.models import Dealership

PASSWORD = "a long enough password 1"


def desk_on(url: str) -> tuple[str, str]:
    """Migrate `url` and add a Leeds dealer with a saved build: (the dealer's staff cookie, the build code)."""
    db.migrate(url)
    catalogue = load_catalogue()
    with db.session(url) as s:
        s.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
        s.flush()
        create_user(s, "dee@example.com", "Dee Dealer", "dealer", PASSWORD, dealership_name="Motorjoy Leeds")
        code = save_build(s, catalogue, catalogue.build_from("hatch", {}), "McGregor")
    with db.session(url) as s:
        cookie = sign_in(s, "dee@example.com", PASSWORD, "test")
    return cookie, code
