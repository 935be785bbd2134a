"""The database helpers: one pool per URL, never a connection shared with a forked worker, SQLite's write lock."""

import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
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


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'locks.db'}"
    yield url
    db.dispose(url)


def _read_then_write(db_url: str, *, reads_then_writes: bool, meanwhile) -> None:
    with db.session(db_url, reads_then_writes=reads_then_writes) as s:
        s.exec(sa.text("select count(*) from marks")).one()  # as the feed reads the orders first
        meanwhile()  # another connection commits a write here
        s.exec(sa.text("insert into marks values ('mine')"))


def _marks_table(db_url: str) -> None:
    with db.session(db_url) as s:
        s.exec(sa.text("create table marks (name text)"))


def test_sqlite_refuses_a_write_after_a_read_once_another_connection_has_committed(sqlite_url):
    # Why `reads_then_writes` exists: SQLite fails at once here, whatever its timeout.
    _marks_table(sqlite_url)

    def other_commits() -> None:
        with db.session(sqlite_url) as other:
            other.exec(sa.text("insert into marks values ('other')"))

    with pytest.raises(sa.exc.OperationalError, match="database is locked"):
        _read_then_write(sqlite_url, reads_then_writes=False, meanwhile=other_commits)


def test_a_session_that_reads_then_writes_makes_the_other_writer_wait_instead(sqlite_url):
    _marks_table(sqlite_url)
    with ThreadPoolExecutor(max_workers=1) as thread:
        other: list[Future] = []

        def other_commits() -> None:  # in a thread: it has to wait for this session's lock
            other.append(thread.submit(_insert, sqlite_url, "other"))
            time.sleep(0.3)
            assert not other[0].done()

        _read_then_write(sqlite_url, reads_then_writes=True, meanwhile=other_commits)
        other[0].result(timeout=30)
    with db.session(sqlite_url) as s:
        assert sorted(s.exec(sa.text("select name from marks")).scalars()) == ["mine", "other"]


def _insert(db_url: str, name: str) -> None:
    with db.session(db_url) as s:
        s.exec(sa.text("insert into marks values (:name)").bindparams(name=name))
