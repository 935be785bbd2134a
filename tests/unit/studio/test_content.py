"""The studio's store through its desk: drafts, conflicts, publish, history, rollback, releases, rules, uploads."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app import db, settings
from app.content import live
from app.content.models import ContentVersion, LayerUpload
from app.render.live import live_pictures, pictures_for_version, pictures_in_hand
from app.studio import content, desk
from app.studio.content import EditConflict, StudioError
from app.studio.models import AuditEntry, Release
from app.studio.uploads import UploadRefused
from tests.unit.meanwhile import another_writer, run_before

ALICE, BOB = "Alice Marketing", "Bob Admin"


@pytest.fixture(autouse=True)
def studio_db(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    live.forget_published()
    yield
    live.forget_published()


def form_of(s, key: str) -> dict:
    return {f.name: f.text for f in desk.open_item(s, key).fields}


def save(s, key: str, author: str = ALICE, **changes) -> None:
    desk.save(s, author, key, form_of(s, key) | changes, content.edit_token(s, key))


def live_value(key: str) -> dict | None:
    live.forget_published()
    return live.published_values().get(key)


def test_a_draft_is_not_live_until_published(db_session):
    save(db_session, "narrative:at_sea", variants="{name} is on the waves.\n{name} waves back.")
    db_session.commit()
    assert live_value("narrative:at_sea") is None
    assert desk.open_item(db_session, "narrative:at_sea").status == "Draft"
    assert desk.publish_now(db_session, ALICE, ["narrative:at_sea"]) == ["narrative:at_sea"]
    db_session.commit()
    assert live_value("narrative:at_sea") == {"variants": ["{name} is on the waves.", "{name} waves back."]}
    assert live.journey().stages[4].narratives == ("{name} is on the waves.", "{name} waves back.")
    assert desk.open_item(db_session, "narrative:at_sea").status == "Published (v1)"


def test_the_second_of_two_editors_is_refused_and_nothing_is_overwritten(db_session):
    token = content.edit_token(db_session, "announcement")
    desk.save(db_session, ALICE, "announcement", {"text": "Alice's words"}, token)
    with pytest.raises(EditConflict, match="Alice Marketing changed this item"):
        desk.save(db_session, BOB, "announcement", {"text": "Bob's words"}, token)
    assert form_of(db_session, "announcement")["text"] == "Alice's words"


def test_publishing_elsewhere_also_makes_an_open_editor_stale(db_session):
    token = content.edit_token(db_session, "announcement")
    save(db_session, "announcement", text="First")
    desk.publish_now(db_session, BOB, ["announcement"])
    with pytest.raises(EditConflict):
        desk.save(db_session, ALICE, "announcement", {"text": "Second"}, token)


def test_history_keeps_every_version_with_a_diff_and_rollback_is_a_new_version(db_session):
    for text in ("Spring is here", "Summer is here"):
        save(db_session, "announcement", text=text)
        desk.publish_now(db_session, ALICE, ["announcement"])
    assert desk.rollback(db_session, BOB, "announcement", 1) == 3
    db_session.commit()
    assert live_value("announcement") == {"text": "Spring is here"}
    rows = desk.history(db_session, "announcement")
    assert [(r.version, r.author, r.note) for r in rows] == [
        (3, BOB, "rolled back to version 1"),
        (2, ALICE, "published"),
        (1, ALICE, "published"),
    ]
    assert rows[0].changes == ["Announcement: “Summer is here” → “Spring is here”"]
    with pytest.raises(StudioError, match="already what customers see"):
        desk.rollback(db_session, BOB, "announcement", 3)
    with pytest.raises(StudioError, match="no version 9"):
        desk.rollback(db_session, BOB, "announcement", 9)


def test_restoring_as_shipped_is_a_new_version_too(db_session):
    with pytest.raises(StudioError, match="already see this as shipped"):
        desk.restore_shipped(db_session, BOB, "model:hatch")
    save(db_session, "model:hatch", base_price="25000")
    desk.publish_now(db_session, ALICE, ["model:hatch"])
    assert desk.restore_shipped(db_session, BOB, "model:hatch") == 2
    db_session.commit()
    assert live_value("model:hatch") == {"base_price": 19950}
    assert desk.history(db_session, "model:hatch")[0].note == "restored as shipped"
    with pytest.raises(StudioError, match="already what customers see"):
        desk.restore_shipped(db_session, BOB, "model:hatch")


def test_every_change_is_in_the_audit_log(db_session):
    save(db_session, "announcement", text="Hello")
    desk.publish_now(db_session, BOB, ["announcement"])
    actions = [(e.who, e.action, e.key) for e in db_session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [(ALICE, "saved draft", "announcement"), (BOB, "published", "announcement")]


@pytest.mark.parametrize(
    ("key", "changes", "message"),
    [
        ("narrative:built", {"variants": "{nmae} is built"}, r"\{nmae\} is not something we can fill in"),
        ("narrative:built", {"variants": "{weather:sunny}"}, r"\{weather:sunny\} is not something we can fill in"),
        ("narrative:built", {"variants": "{name.__class__}"}, r"\{name\.__class__\} is not something"),
        ("narrative:built", {"variants": "{name!r} is built"}, r"\{name!r\} is not something we can fill in"),
        ("narrative:built", {"variants": "{a.b} is built"}, r"\{a\.b\} is not something we can fill in"),
        ("mail:birthday_card", {"subject": "{name:>40}"}, r"\{name:>40\} is not something we can fill in"),
        ("nudge", {"threshold_minutes": "0"}, "outside 1–240"),
        ("nudge", {"lines": ""}, "at least one line"),
        ("explainer", {"video_url": "javascript:alert(1)"}, "must start with https://"),
        ("model:hatch", {"base_price": "cheap"}, "whole number"),
        ("option:wheels-spoke", {"requires": "no-such-thing"}, "would break the catalogue"),
        ("option:roof-white", {"requires": "softtop-black"}, "would break the catalogue"),
        ("option:chili-red", {"retired": "on"}, "would break the catalogue"),
        ("option:pepper-white", {"hex": "#GGGGGG"}, "not a colour code"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_saved(db_session, key, changes, message):
    with pytest.raises(StudioError, match=message):
        save(db_session, key, **changes)
    assert content.drafts(db_session) == {}


def test_a_rule_that_makes_an_option_unreachable_is_refused_with_the_reason(db_session):
    # The soft top only exists on the convertible, so needing it makes the hatch's white roof unbuildable.
    with pytest.raises(StudioError) as refused:
        save(db_session, "option:roof-white", requires="softtop-black")
    assert "White roof needs Black soft top" in str(refused.value)


def test_new_colour_and_price_change_bump_the_asset_version_and_orders_keep_theirs(db_session):
    before = live_pictures().catalogue
    key = desk.add_colour(db_session, ALICE, "Mint Julep", "#9FD8B5", "350")
    save(db_session, "model:hatch", base_price="20950")
    desk.publish_now(db_session, ALICE, [key, "model:hatch"])
    db_session.commit()
    live.forget_published()
    after = live_pictures().catalogue
    assert after.asset_version != before.asset_version and after.asset_version.startswith(before.asset_version)
    assert after.option("mint-julep").hex == "#9FD8B5" and after.option("mint-julep").price == 350
    assert after.model("hatch").base_price == 20950
    with pytest.raises(StudioError, match="already a colour"):
        desk.add_colour(db_session, ALICE, "Mint julep", "#000000", "0")


def test_retiring_a_colour_removes_it_from_the_live_catalogue(db_session):
    save(db_session, "option:seafoam", retired="on")
    desk.publish_now(db_session, ALICE, ["option:seafoam"])
    db_session.commit()
    live.forget_published()
    assert "seafoam" not in {o.id for o in live_pictures().catalogue.options}


def test_a_scheduled_release_goes_live_together_once(db_session, db_url):
    save(db_session, "announcement", text="Launch day!")
    save(db_session, "model:hatch", base_price="21500")
    at = content.now() + timedelta(hours=1)
    release = desk.schedule(db_session, ALICE, ["announcement", "model:hatch"], "Launch", at)
    db_session.commit()
    assert desk.publish_due(db_url, at - timedelta(minutes=1)) == []
    assert desk.publish_due(db_url, at) == ["Launch: 2 items went live at " + content._clock(at) + "."]
    assert desk.publish_due(db_url, at + timedelta(minutes=5)) == []
    with db.session(db_url) as s:
        assert s.get(Release, release.id).status == "published"
        notes = {v.key: v.note for v in s.exec(select(ContentVersion))}
    assert notes == {"announcement": "release Launch", "model:hatch": "release Launch"}
    assert live_value("model:hatch") == {"base_price": 21500}


def test_a_due_release_goes_live_though_another_connection_writes_meanwhile(db_session, db_url, monkeypatch):
    # SQLite refuses a write after a read once another connection has committed in between; every app
    # process looks for due releases twice a minute, while the app serves and writes.
    save(db_session, "announcement", text="Launch day!")
    at = content.now() + timedelta(hours=1)
    desk.schedule(db_session, ALICE, ["announcement"], "Launch", at)
    db_session.commit()
    with another_writer(db_url) as meanwhile:
        run_before(monkeypatch, content, "publish_due_release", meanwhile)  # the due releases read by then
        assert desk.publish_due(db_url, at) == ["Launch: 1 items went live at " + content._clock(at) + "."]
    assert live_value("announcement") == {"text": "Launch day!"}


def test_a_release_needs_a_future_time_a_name_and_drafts(db_session):
    save(db_session, "announcement", text="Soon")
    future = content.now() + timedelta(days=1)
    with pytest.raises(StudioError, match="future"):
        desk.schedule(db_session, ALICE, ["announcement"], "Past", content.now() - timedelta(minutes=1))
    with pytest.raises(StudioError, match="name"):
        desk.schedule(db_session, ALICE, ["announcement"], "   ", future)
    with pytest.raises(StudioError, match="at least one draft"):
        desk.schedule(db_session, ALICE, ["nudge"], "Empty", future)


def test_cancelling_a_release_keeps_its_drafts(db_session):
    save(db_session, "announcement", text="Maybe")
    release = desk.schedule(db_session, ALICE, ["announcement"], "Maybe", content.now() + timedelta(days=1))
    content.cancel_release(db_session, release.id, author=ALICE)
    assert desk.open_item(db_session, "announcement").status == "Draft"


def real_layer() -> bytes:
    return (settings.LAYERS_DIR / "img/hatch/side/wheels/wheels-spoke.webp").read_bytes()


def test_an_uploaded_layer_is_a_draft_with_a_contact_sheet_then_goes_live(db_session):
    key = desk.upload_layer(db_session, ALICE, "hatch", "side", "wheels-dish", real_layer())
    assert key == "layer:hatch:side:wheels-dish"
    assert db_session.exec(select(LayerUpload)).one().uploaded_by == ALICE
    sheet = desk.contact_sheet(db_session, key)
    assert len(sheet) >= 4 and all(" on " in caption for _, caption in sheet)
    draft_version = sheet[0][0].split("/")[2]
    assert draft_version != live_pictures().catalogue.asset_version
    assert pictures_for_version(draft_version) is not None
    assert pictures_for_version(draft_version[:-1] + "x") is None
    # Made once, the preview's service is in hand: later pictures of it need no database.
    assert pictures_in_hand(draft_version) is pictures_for_version(draft_version)
    assert pictures_in_hand(draft_version[:-1] + "x") is None
    desk.publish_now(db_session, ALICE, [key])
    db_session.commit()
    live.forget_published()
    catalogue = live_pictures().catalogue
    path = catalogue.layer_path("hatch", "side", "wheels-dish", "wheels")
    assert path.read_bytes() == db_session.exec(select(LayerUpload)).one().png


def test_a_bad_upload_changes_nothing(db_session):
    with pytest.raises(UploadRefused):
        desk.upload_layer(db_session, ALICE, "hatch", "side", "wheels-dish", b"GIF89a not really")
    with pytest.raises(StudioError, match="There is no option called"):
        desk.upload_layer(db_session, ALICE, "hatch", "front", "no-such-option", real_layer())
    assert db_session.exec(select(LayerUpload)).all() == [] and content.drafts(db_session) == {}


def test_a_mail_template_preview_shows_the_draft_filled_with_sample_details(db_session):
    save(db_session, "mail:birthday_card", subject="Cake for {name}!", body="{name} is **{age}** today, {owner}.")
    preview = desk.mail_preview(db_session, "mail:birthday_card")
    assert "<title>Cake for McGregor!</title>" in preview
    assert "McGregor is <strong>two</strong> today, Fiona." in preview
    with pytest.raises(StudioError, match=r"\{colour\} is not something we can fill in"):
        save(db_session, "mail:birthday_card", body="{colour} is lovely")


def test_the_announcement_and_mail_copy_go_live_when_published(db_session):
    from app.club.templates import template

    save(db_session, "announcement", text="Spring colours are **in**.")
    save(db_session, "mail:stage_news", subject="{name} moved: {stage}")
    assert live.announcement() == ""
    desk.publish_now(db_session, ALICE, ["announcement", "mail:stage_news"])
    db_session.commit()
    live.forget_published()
    assert live.announcement() == "Spring colours are **in**."
    assert template("stage_news", live.values()).subject == "{name} moved: {stage}"
