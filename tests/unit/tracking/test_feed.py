"""The stage-event feed: only known senders, a bad batch writes nothing, resending is harmless, and
a story that goes backwards is kept but flagged."""

import asyncio
import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import cli, db
from app.orders.demo import DEMO_ORDERS
from app.orders.models import StageEvent
from app.tracking import feed
from app.tracking.feed import (
    FeedAuthError,
    FeedError,
    FeedSource,
    create_feed_source,
    ingest,
    ingest_as,
    simulate_step,
)
from app.tracking.feed_route import MAX_BODY_BYTES, feed_routes
from tests.unit.meanwhile import another_writer, run_before
from tests.unit.tracking.tracking_data import NOW, add_order

NUMBER = "MJ4K7QX2"


@pytest.fixture
def token(s):
    add_order(s, NUMBER, "Fiona MacLeod", "fiona@example.com")
    return create_feed_source(s, "Northern Shipping")


def event(n=1, stage="built", at=NOW - timedelta(days=1), **extra):
    return {"event_id": f"e-{n}", "order_number": NUMBER, "stage": stage, "occurred_at": at.isoformat(), **extra}


def stored(s):
    return s.exec(select(StageEvent).order_by(StageEvent.id)).all()


# --- tokens ---------------------------------------------------------------------------------------


def test_the_token_is_shown_once_and_only_its_hash_is_kept(s, token):
    source = s.exec(select(FeedSource)).one()
    assert source.name == "Northern Shipping"
    assert token not in source.token_hash and len(source.token_hash) == 64


@pytest.mark.parametrize("bad", ["", None, "garbage", "x" * 5000, "wrong-" + "a" * 40])
def test_garbage_and_wrong_tokens_are_refused(s, token, bad):
    with pytest.raises(FeedAuthError):
        ingest(s, bad, {"events": [event()]}, now=NOW)
    assert stored(s) == []


def test_the_right_token_stores_the_events_under_the_sources_name(s, token):
    result = ingest(s, token, {"events": [event(vessel="MV Lark", vessel_eta="2025-03-20T00:00:00Z")]}, now=NOW)
    assert (result.accepted, result.duplicates, result.flagged) == (1, 0, [])
    (row,) = stored(s)
    assert (row.stage, row.source, row.event_id, row.vessel) == ("built", "Northern Shipping", "e-1", "MV Lark")
    assert row.vessel_eta.day == 20 and row.recorded_at.replace(tzinfo=NOW.tzinfo) == NOW


def test_a_source_name_is_taken_once(s, token):
    with pytest.raises(FeedError, match="already"):
        create_feed_source(s, "Northern Shipping")


# --- validation: the field is named, nothing is written -------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"stage": "at_see"}, r"events\[1\]\.stage: 'at_see' is not a stage \(one of: ordered, "),
        ({"order_number": "nonsense"}, r"events\[1\]\.order_number: 'nonsense' is not an order number"),
        ({"order_number": "MJ9ZZQ23"}, r"events\[1\]\.order_number: there is no order MJ9ZZQ23"),
        ({"occurred_at": "2025-02-28T09:00:00"}, r"events\[1\]\.occurred_at: .* has no time zone"),
        ({"occurred_at": "yesterday"}, r"events\[1\]\.occurred_at: 'yesterday' is not an ISO 8601 time"),
        ({"occurred_at": (NOW + timedelta(days=2)).isoformat()}, r"events\[1\]\.occurred_at: .* is in the future"),
        ({"occurred_at": "2019-12-31T23:00:00+00:00"}, r"events\[1\]\.occurred_at: .* is before 2020"),
        ({"event_id": ""}, r"events\[1\]\.event_id: missing"),
        ({"event_id": "x" * 101}, r"events\[1\]\.event_id: at most 100 characters"),
        ({"vessel": 7}, r"events\[1\]\.vessel: expected text"),
        ({"vessel_eta": "soon"}, r"events\[1\]\.vessel_eta: 'soon' is not an ISO 8601 time"),
        ({"occured_at": "2025-02-28T09:00:00Z"}, r"events\[1\]\.occured_at: unknown field"),
        ({"occurred_at": "9999-12-31T23:59:59-14:00"}, r"events\[1\]\.occurred_at: .* outside the calendar"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, r"events\[1\]\.occurred_at: .* outside the calendar"),
        ({"vessel_eta": "9999-12-31T23:59:59-14:00"}, r"events\[1\]\.vessel_eta: .* outside the calendar"),
        ({"vessel_eta": "0001-01-01T00:00:00+14:00"}, r"events\[1\]\.vessel_eta: .* outside the calendar"),
        ({"vessel_eta": "9999-12-31T00:00:00+00:00"}, r"events\[1\]\.vessel_eta: .* more than a year away"),
        ({"event_id": "e-\x00-1"}, r"events\[1\]\.event_id: control characters"),
        ({"vessel": "MV\x00Lark"}, r"events\[1\]\.vessel: control characters"),
    ],
)
def test_a_bad_event_names_its_field_and_writes_nothing(s, token, bad, message):
    with pytest.raises(FeedError, match=message):
        ingest(s, token, {"events": [event(1), {**event(2), **bad}]}, now=NOW)
    assert stored(s) == []


@pytest.mark.parametrize("payload", [[], {"events": "no"}, {"events": [3]}, None])
def test_a_payload_of_the_wrong_shape_is_refused(s, token, payload):
    with pytest.raises(FeedError, match="events"):
        ingest(s, token, payload, now=NOW)


def test_more_than_1000_events_is_refused(s, token):
    with pytest.raises(FeedError, match="at most 1000"):
        ingest(s, token, {"events": [event(n) for n in range(1001)]}, now=NOW)


def test_an_event_up_to_a_day_ahead_is_accepted(s, token):
    assert ingest(s, token, {"events": [event(at=NOW + timedelta(hours=20))]}, now=NOW).accepted == 1


# --- idempotency and order ------------------------------------------------------------------------


def test_sending_the_same_batch_twice_stores_it_once(s, token):
    batch = {"events": [event(1, "scheduled", NOW - timedelta(days=9)), event(2, "built")]}
    assert ingest(s, token, batch, now=NOW).accepted == 2
    again = ingest(s, token, batch, now=NOW)
    assert (again.accepted, again.duplicates) == (0, 2)
    assert len(stored(s)) == 2


def test_an_event_twice_in_one_batch_is_a_duplicate(s, token):
    result = ingest(s, token, {"events": [event(1), event(1)]}, now=NOW)
    assert (result.accepted, result.duplicates) == (1, 1)


def test_events_arriving_out_of_order_are_not_flagged(s, token):
    later = event(1, "at_sea", NOW - timedelta(days=1))
    earlier = event(2, "built", NOW - timedelta(days=20))
    assert ingest(s, token, {"events": [later]}, now=NOW).flagged == []
    assert ingest(s, token, {"events": [earlier]}, now=NOW).flagged == []
    assert [row.flagged for row in stored(s)] == ["", ""]


def test_a_stage_going_backwards_is_stored_but_flagged(s, token):
    ingest(s, token, {"events": [event(1, "at_sea", NOW - timedelta(days=5))]}, now=NOW)
    result = ingest(s, token, {"events": [event(2, "built", NOW - timedelta(days=1))]}, now=NOW)
    assert result.accepted == 1
    assert result.flagged == ["events[0] (e-2, MJ4K7QX2): stage went backwards from at_sea"]
    assert stored(s)[-1].flagged == "stage went backwards from at_sea"


def test_source_given_in_the_event_wins(s, token):
    ingest(s, token, {"events": [event(source="Port of Southampton")]}, now=NOW)
    assert stored(s)[0].source == "Port of Southampton"


# --- the simulator --------------------------------------------------------------------------------


def test_simulate_moves_each_order_one_stage_and_names_the_ship_at_sea(s, token):
    ingest(s, token, {"events": [event(1, "awaiting_transport")]}, now=NOW)
    assert simulate_step(s, [NUMBER], now=NOW) == [f"{NUMBER} (McGregor): awaiting_transport → at_sea"]
    row = stored(s)[-1]
    assert (row.stage, row.source, row.vessel) == ("at_sea", "simulator", "MV Northern Lark")
    assert row.vessel_position


def test_simulate_leaves_delivered_orders_alone(s, token):
    ingest(s, token, {"events": [event(1, "delivered")]}, now=NOW)
    assert simulate_step(s, [NUMBER], now=NOW) == []


# --- the route ------------------------------------------------------------------------------------


@pytest.fixture
def client(s, token, db_url, monkeypatch):
    s.commit()  # the route works in its own sessions
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    return TestClient(Starlette(routes=feed_routes()))


def post(client, body, token):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return client.post("/feed/events", content=body, headers=headers)


def test_route_accepts_a_good_batch(client, token):
    answer = post(client, json.dumps({"events": [event()]}), token)
    assert answer.status_code == 200
    assert answer.json() == {"accepted": 1, "duplicates": 0, "flagged": []}


def test_route_refuses_a_missing_or_wrong_token(client):
    assert client.post("/feed/events", json={"events": []}).status_code == 401
    answer = post(client, "{}", "wrong")
    assert answer.status_code == 401 and "error" in answer.json()


def test_route_refuses_non_json(client, token):
    for body in (b"not json", b"\xff\xfe", b"[" * 100_000):
        assert post(client, body, token).status_code == 400


def test_route_refuses_a_bad_event_with_its_field(client, token, s):
    answer = post(client, json.dumps({"events": [event(stage="at_see")]}), token)
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("events[0].stage: 'at_see' is not a stage")


@pytest.mark.parametrize(
    "bad",
    [
        {"occurred_at": "9999-12-31T23:59:59-14:00"},
        {"occurred_at": "0001-01-01T00:00:00+14:00"},
        {"vessel_eta": "9999-12-31T23:59:59-14:00"},
        {"vessel_eta": "0001-01-01T00:00:00+14:00"},
        {"event_id": "e-\x00"},
    ],
)
def test_route_answers_calendar_edges_and_nul_with_a_422(client, token, s, bad):
    answer = post(client, json.dumps({"events": [{**event(), **bad}]}), token)
    assert answer.status_code == 422 and "error" in answer.json()
    assert stored(s) == []


def test_route_refuses_a_declared_big_body(client, token):
    assert post(client, b" " * (MAX_BODY_BYTES + 1), token).status_code == 413


def test_route_stops_reading_a_big_body_at_the_limit(client, token):
    """Without a Content-Length, the limit must hold while streaming: the rest is never read."""
    chunk, received, sent = 16_384, [], []

    async def receive():
        received.append(chunk)
        return {"type": "http.request", "body": b" " * chunk, "more_body": len(received) < 100}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/feed/events",
        "headers": [(b"authorization", f"Bearer {token}".encode())],
        "query_string": b"",
    }
    asyncio.run(Starlette(routes=feed_routes())(scope, receive, send))
    assert sent[0]["status"] == 413
    assert sum(received) <= MAX_BODY_BYTES + chunk


# --- the CLI --------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(s, token, db_url, monkeypatch):
    s.commit()
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    return db_url


def rows_in(url):
    with Session(db.engine(url)) as fresh:
        return fresh.exec(select(StageEvent).order_by(StageEvent.id)).all()


def test_cli_add_source_prints_the_token_once(cli_db, capsys):
    assert cli.main(["feed", "add-source", "Plant Oxford"]) == 0
    printed = capsys.readouterr().out.splitlines()[-1]
    with Session(db.engine(cli_db)) as fresh:
        assert fresh.exec(select(FeedSource).where(FeedSource.name == "Plant Oxford")).one().token_hash != printed


def test_cli_imports_json(cli_db, tmp_path, capsys):
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": [event(1), event(2, "at_sea")]}))
    assert cli.main(["feed", "import", str(path)]) == 0
    assert "2 accepted, 0 duplicates, 0 flagged" in capsys.readouterr().out
    assert [row.source for row in rows_in(cli_db)] == ["import", "import"]


def test_cli_import_waits_for_the_app_writing_meanwhile_instead_of_failing(cli_db, tmp_path, monkeypatch, capsys):
    # An operator imports while the app serves: its workers commit between the import's reads and its write.
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": [event(1)]}))
    with another_writer(cli_db) as meanwhile:
        run_before(monkeypatch, feed, "backwards_reason", meanwhile)  # the orders and timelines read by then
        assert cli.main(["feed", "import", str(path)]) == 0
    assert "1 accepted, 0 duplicates, 0 flagged" in capsys.readouterr().out
    assert [row.event_id for row in rows_in(cli_db)] == ["e-1"]


def test_cli_imports_csv(cli_db, tmp_path, capsys):
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,order_number,stage,occurred_at,source,vessel,vessel_position,vessel_eta\n"
        'c-1,MJ4K7QX2,at_sea,2025-02-20T08:00:00+00:00,,MV Lark,"Bay of Biscay, 40 nm N",2025-03-10T00:00:00Z\n'
        "c-2,mj4k7qx2,built,2025-02-25T08:00:00Z,Plant,,,\n"
    )
    assert cli.main(["feed", "import", str(path)]) == 0
    assert "2 accepted, 0 duplicates, 1 flagged" in capsys.readouterr().out
    first, second = rows_in(cli_db)
    assert (first.vessel_position, first.source, second.source) == ("Bay of Biscay, 40 nm N", "import", "Plant")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", "{not json", "not valid JSON"),
        ("bad.csv", "id,when\n1,2\n", "header"),
        ("bad.json", json.dumps({"events": [event(1), event(2, "at_see")]}), "events[1].stage"),
    ],
)
def test_cli_import_of_a_bad_file_exits_2_and_writes_nothing(cli_db, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    assert cli.main(["feed", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Nothing was written" in err
    assert rows_in(cli_db) == []


def test_cli_import_of_a_missing_file(cli_db, tmp_path, capsys):
    assert cli.main(["feed", "import", str(tmp_path / "nope.json")]) == 2
    assert "can't read the file" in capsys.readouterr().err


def test_cli_simulate_moves_the_demo_orders(cli_db, capsys):
    assert NUMBER in {order[0] for order in DEMO_ORDERS}
    assert cli.main(["feed", "simulate"]) == 0
    assert f"{NUMBER} (McGregor): ordered → scheduled" in capsys.readouterr().out
    assert [(row.stage, row.source) for row in rows_in(cli_db)] == [("scheduled", "simulator")]


def test_a_big_import_is_stored_once_and_resending_it_is_harmless(s, token):
    events = [event(n, "built", NOW - timedelta(days=1)) for n in range(2500)]
    result = ingest_as(s, "import", {"events": events}, now=NOW)
    assert (result.accepted, result.duplicates) == (2500, 0)
    again = ingest_as(s, "import", {"events": events}, now=NOW)
    assert (again.accepted, again.duplicates) == (0, 2500)


def test_staff_see_a_flagged_stage_on_the_order(s, token, tmp_path):
    from app.orders.models import Order
    from app.orders.story import order_story
    from app.render import open_pictures

    ingest(s, token, {"events": [event(1, "at_sea", NOW - timedelta(days=5))]}, now=NOW)
    ingest(s, token, {"events": [event(2, "built", NOW - timedelta(days=1))]}, now=NOW)
    order = s.exec(select(Order).where(Order.number == NUMBER)).one()
    story = order_story(s, open_pictures(cache_dir=tmp_path), order)
    assert any("check this: stage went backwards from at_sea" in line.detail for line in story.stages)


def test_lookups_are_sliced_to_the_size_asked(s, token):
    from app.tracking.feed import _in_chunks

    asked = []

    def query_for(some):
        asked.append(len(some))
        return select(StageEvent.event_id).where(StageEvent.event_id.in_(some))

    assert _in_chunks(s, query_for, [f"x{n}" for n in range(5)] + ["x0"], size=2) == []
    assert asked == [2, 2, 1]  # five distinct ids, two at a time
