"""Every studio handler checks the role on the server: a dealer or a stranger calling one changes nothing."""

import pytest
from reflex.state import State
from sqlmodel import select

from app import db
from app.club.outbox import OutboxMail
from app.content import live
from app.content.models import ContentVersion
from app.nudges.events import NudgeEvent
from app.staff.accounts import create_user, sign_in
from app.staff.models import Dealership
from app.studio import content
from app.studio.mail_state import MailDeskState
from app.studio.models import AuditEntry
from app.studio.nudge_state import NudgeReportState
from app.studio.state import NOT_ALLOWED, StudioState

PASSWORD = "a long enough password 1"

# (handler, arguments) a crafted websocket message could call directly, skipping the page.
STUDIO_CALLS = [
    (StudioState.load, ()),
    (StudioState.open, ("announcement",)),
    (StudioState.save, ({"text": "Hacked"},)),
    (StudioState.discard, ()),
    (StudioState.publish, ()),
    (StudioState.rollback, (1,)),
    (StudioState.restore_shipped, ()),
    (StudioState.add_colour, ({"name": "Sneaky Pink", "hex": "#FF00FF"},)),
    (StudioState.schedule, ({"release:announcement": "on", "release_name": "X", "publish_at": "2099-01-01T10:00"},)),
    (StudioState.cancel_release, ("1",)),
]
MAIL_CALLS = [
    (MailDeskState.load, ()),
    (MailDeskState.read, ("1",)),
    (MailDeskState.preview, ()),
    (MailDeskState.send_to_members, ()),
    (MailDeskState.send_test, ()),
]


@pytest.fixture
def tokens(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    live.forget_published()
    with db.session(db_url) as s:
        s.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
        s.flush()
        create_user(s, "dealer@example.com", "Dee Dealer", "dealer", PASSWORD, dealership_name="Motorjoy Leeds")
        create_user(s, "marketing@example.com", "Mo Marketing", "marketing", PASSWORD)
    with db.session(db_url) as s:
        return {
            "nobody": "",
            "forged": "not-a-session",
            "dealer": sign_in(s, "dealer@example.com", PASSWORD, "test"),
            "marketing": sign_in(s, "marketing@example.com", PASSWORD, "test"),
        }


def state_for(state_class, token: str):
    root = State(_reflex_internal_init=True)
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    state.token = token
    if state_class is StudioState:
        state.key, state.edit_token = "announcement", "0.0"
    return state


def changes(db_url) -> tuple[int, int, int, int]:
    with db.session(db_url) as s:
        return (
            len(content.drafts(s)),
            len(s.exec(select(ContentVersion)).all()),
            len(s.exec(select(AuditEntry)).all()),
            len(s.exec(select(OutboxMail)).all()),
        )


@pytest.mark.parametrize("who", ["nobody", "forged", "dealer"])
@pytest.mark.parametrize(("handler", "args"), STUDIO_CALLS + MAIL_CALLS)
def test_a_handler_called_without_the_role_is_refused_and_changes_nothing(db_url, tokens, who, handler, args):
    state_class = StudioState if handler in [c[0] for c in STUDIO_CALLS] else MailDeskState
    state = state_for(state_class, tokens[who])
    handler.fn(state, *args)
    assert changes(db_url) == (0, 0, 0, 0)
    if state_class is StudioState:
        assert (state.allowed, state.denied, state.rows, state.fields) == (False, NOT_ALLOWED, [], [])
    else:
        assert state.error == NOT_ALLOWED and (state.recent, state.viewing, state.preview_html) == ([], "", "")


def test_the_same_handlers_work_for_marketing(db_url, tokens):
    state = state_for(StudioState, tokens["marketing"])
    StudioState.load.fn(state)
    assert state.allowed and state.rows
    StudioState.open.fn(state, "announcement")
    StudioState.save.fn(state, {"text": "Hello, club"})
    assert state.notice == "Draft saved." and state.status == "Draft"
    StudioState.publish.fn(state)
    assert state.status == "Published (v1)"
    assert changes(db_url)[:2] == (0, 1)


def test_the_mail_viewer_shows_a_plain_text_mail_as_text(db_url, tokens):
    from app.club.outbox import queue_mail

    with db.session(db_url) as s:
        queue_mail(
            s,
            kind="order_confirmation",
            recipient="x@example.com",
            subject="Order",
            body_text='Hello <img src="https://tracker.example/pixel.gif">,',
            dedupe_key="confirmation:test",
        )
        mail_id = s.exec(select(OutboxMail.id)).first()
    state = state_for(MailDeskState, tokens["marketing"])
    MailDeskState.read.fn(state, str(mail_id))
    assert state.viewing == "<pre>Hello &lt;img src=&quot;https://tracker.example/pixel.gif&quot;&gt;,</pre>"


NUDGE_CALLS = [
    (NudgeReportState.load, ()),
    (NudgeReportState.pick, ("7",)),
    (NudgeReportState.show_range, ({"start": "2026-01-01", "end": "2026-12-31"},)),
]


@pytest.mark.parametrize("who", ["nobody", "forged", "dealer"])
@pytest.mark.parametrize(("handler", "args"), NUDGE_CALLS)
def test_the_nudge_report_is_refused_without_the_role(db_url, tokens, who, handler, args):
    with db.session(db_url) as s:
        s.add(NudgeEvent(line=0, line_text="A secret line.", action="shown"))
    state = state_for(NudgeReportState, tokens[who])
    handler.fn(state, *args)
    assert state.error == NOT_ALLOWED
    assert (state.rows, state.headline, state.period, state.total_shown) == ([], "", "", 0)


def test_the_nudge_report_for_marketing_and_a_bad_range_changes_nothing(db_url, tokens):
    with db.session(db_url) as s:
        s.add_all(NudgeEvent(line=0, line_text="Go for a drive.", action=a) for a in ("shown", "shown", "road"))
    state = state_for(NudgeReportState, tokens["marketing"])
    NudgeReportState.load.fn(state)
    assert state.error == "" and state.total_shown == 2
    assert [(r.line, r.shown, r.road) for r in state.rows] == [("Go for a drive.", 2, 1)]
    assert state.answers["snooze"] == "Five more minutes"
    shown = state.period
    NudgeReportState.pick.fn(state, "range")
    NudgeReportState.show_range.fn(state, {"start": "2026-11-20", "end": "2026-11-01"})
    assert state.error.startswith("The from date (20 November 2026) is after the to date")
    assert state.period == shown and state.total_shown == 2  # the report as it was
