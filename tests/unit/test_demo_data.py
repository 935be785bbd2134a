"""Migrations build the schema from nothing, and the demo seed is idempotent."""

import sqlalchemy as sa
from sqlmodel import select

from app import db
from app.catalog import load_catalogue
from app.orders.demo import DEMO_ORDERS, seed_demo_orders
from app.orders.fleet import cars_on_their_way
from app.orders.models import Order, StageEvent
from app.tracking.stages import JOURNEY

CATALOGUE = load_catalogue()


def test_migrations_create_every_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    db.migrate(url)
    tables = set(sa.inspect(db.engine(url)).get_table_names())
    assert {"orders", "stage_events", "alembic_version"} <= tables


def test_demo_seed_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    db.migrate(url)
    with db.session(url) as s:
        assert seed_demo_orders(s, CATALOGUE) == len(DEMO_ORDERS)
    with db.session(url) as s:
        assert seed_demo_orders(s, CATALOGUE) == 0
        assert len(s.exec(select(Order)).all()) == len(DEMO_ORDERS)
        first_events = len(s.exec(select(StageEvent)).all())
    with db.session(url) as s:
        seed_demo_orders(s, CATALOGUE)
        assert len(s.exec(select(StageEvent)).all()) == first_events


def test_delivered_cars_are_not_on_their_way(tmp_path):
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    db.migrate(url)
    with db.session(url) as s:
        seed_demo_orders(s, CATALOGUE)
        delivered = sum(1 for *_, reached in DEMO_ORDERS if reached == len(JOURNEY))
        assert cars_on_their_way(s) == len(DEMO_ORDERS) - delivered


def test_failed_block_writes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'rollback.db'}"
    db.migrate(url)
    try:
        with db.session(url) as s:
            seed_demo_orders(s, CATALOGUE)
            raise RuntimeError("the power went out mid-seed")
    except RuntimeError:
        pass
    with db.session(url) as s:
        assert s.exec(select(Order)).all() == []


def test_upgrade_keeps_rows_that_point_at_rebuilt_tables(tmp_path):
    # SQLite rebuilds `orders` to add columns; stage events point at it. This once failed on a demo database.
    from alembic import command
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = db.alembic_config(url)
    command.upgrade(config, "0002")
    with db.engine(url).begin() as c:
        c.execute(
            text(
                "insert into orders (number, customer_name, customer_email, model_id, nickname, placed_at)"
                " values ('MJ4K7QX2', 'Fiona', 'f@example.com', 'hatch', 'McGregor', '2026-01-01')"
            )
        )
        c.execute(text("insert into stage_events (order_id, stage, reached_at) values (1, 'ordered', '2026-01-01')"))
    db.migrate(url)
    with db.session(url) as s:
        order = s.exec(select(Order)).one()
        assert (order.number, order.spec, order.total_price) == ("MJ4K7QX2", "{}", 0)
        assert s.exec(select(StageEvent)).one().order_id == order.id
    with db.engine(url).connect() as c:
        assert c.execute(text("pragma foreign_keys")).scalar() == 1
