"""The database helpers: one pool per URL, and never a connection shared with a forked worker."""

import os

import sqlalchemy as sa

from app import db


def test_one_engine_per_url_until_disposed(db_url):
    assert db.engine(db_url) is db.engine(db_url)
    first = db.engine(db_url)
    db.dispose(db_url)
    assert db.engine(db_url) is not first


def test_a_forked_worker_opens_connections_of_its_own(db_url):
    with db.engine(db_url).connect() as connection:
        inherited = connection.connection.driver_connection  # back in the pool after the block
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: report, then leave without running anything of pytest's
        try:
            with db.engine(db_url).connect() as connection:
                connection.execute(sa.text("select 1"))
                os.write(write, b"own" if connection.connection.driver_connection is not inherited else b"shared")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 16) == b"own"
    with db.engine(db_url).connect() as connection:  # and the parent's pool still works
        assert connection.execute(sa.text("select 1")).scalar() == 1
