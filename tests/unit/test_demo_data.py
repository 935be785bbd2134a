"""Migrations build the schema from nothing (SQLite and PostgreSQL), and the demo seed is idempotent."""

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlmodel import select

from app import cli, db
from app.catalog import load_catalogue
from app.content.stages import JOURNEY
from app.orders.demo import DEMO_ORDERS, seed_demo_orders
from app.orders.fleet import cars_on_their_way
from app.orders.models import Order, StageEvent

CATALOGUE = load_catalogue()


def test_migrations_create_every_table(empty_db_url):
    url = empty_db_url
    db.migrate(url)
    tables = set(sa.inspect(db.engine(url)).get_table_names())
    assert {"orders", "stage_events", "alembic_version"} <= tables


def test_motorjoy_demo_brings_a_fresh_database_to_the_latest_migration(empty_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", empty_db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    assert cli.main(["demo"]) == 0
    assert cli.main(["demo"]) == 0  # what every server start does: nothing new the second time
    head = ScriptDirectory.from_config(db.alembic_config(empty_db_url)).get_current_head()
    with db.engine(empty_db_url).connect() as c:
        assert c.execute(sa.text("select version_num from alembic_version")).scalar() == head
    with db.session(empty_db_url) as s:
        assert len(s.exec(select(Order)).all()) == len(DEMO_ORDERS)


def test_demo_seed_is_idempotent(empty_db_url):
    url = empty_db_url
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


def test_delivered_cars_are_not_on_their_way(empty_db_url):
    url = empty_db_url
    db.migrate(url)
    with db.session(url) as s:
        seed_demo_orders(s, CATALOGUE)
        delivered = sum(1 for *_, reached in DEMO_ORDERS if reached == len(JOURNEY))
        assert cars_on_their_way(s) == len(DEMO_ORDERS) - delivered


def test_failed_block_writes_nothing(empty_db_url):
    url = empty_db_url
    db.migrate(url)
    try:
        with db.session(url) as s:
            seed_demo_orders(s, CATALOGUE)
            raise RuntimeError("the power went out mid-seed")
    except RuntimeError:
        pass
    with db.session(url) as s:
        assert s.exec(select(Order)).all() == []


def test_upgrade_keeps_rows_that_point_at_rebuilt_tables(empty_db_url):
    # SQLite rebuilds `orders` to add columns; stage events point at it. This once failed on a demo database.
    from alembic import command
    from sqlalchemy import text

    url = empty_db_url
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
    if url.startswith("sqlite"):
        with db.engine(url).connect() as c:
            assert c.execute(text("pragma foreign_keys")).scalar() == 1
