"""History diffs name the field and the thing that changed, per kind of item: prices, rules, colours, copy."""

from app.studio import desk
from app.studio.changes import changes

NAMES = {"softtop-tan": "Tan soft top", "chili-red": "Chili Red", "roof-union": "Chequered roof"}


def said(key: str, before: dict | None, **after) -> list[str]:
    item = desk.item_for(key)
    return changes(item, before, {**(before or item.default), **after}, NAMES)


def test_an_option_price_names_the_option_in_pounds():
    before = dict(desk.item_for("option:wheels-dish").default, price=1100)
    assert said("option:wheels-dish", before, price=1000) == ["Price of 17-inch dish wheels: £1,100 → £1,000"]


def test_a_base_price_names_the_model():
    assert said("model:hatch", None, base_price=21500)[0].startswith("Base price of the Hatch: £")
    assert said("model:hatch", None, base_price=21500)[0].endswith(" → £21,500")


def test_rules_are_told_with_option_names():
    item = desk.item_for("option:mirrors-chequer")
    assert said("option:mirrors-chequer", None, requires=["softtop-tan"], excludes=["chili-red"]) == [
        "Needs of Chequered mirror caps: added Tan soft top; removed Chequered roof",
        "Can't go with of Chequered mirror caps: added Chili Red",
    ]
    assert item.default["requires"] == ["roof-union"]


def test_a_colour_change_a_rename_and_retiring():
    before = dict(desk.item_for("option:chili-red").default)
    assert said("option:chili-red", before, hex="#D0402B", name="Chilli Red", retired=True) == [
        "Colour name of Chilli Red: “Chili Red” → “Chilli Red”",
        f"Colour of Chilli Red: {before['hex']} → #D0402B",
        "Chilli Red retired: no longer offered",
    ]
    assert said("option:chili-red", dict(before, retired=True), retired=False) == ["Chili Red offered again"]


def test_a_new_colour_is_named_by_what_marketing_called_it():
    assert said("option:mint-julep", None, name="Mint Julep", hex="#8FD1B0", price=200) == [
        "Colour name of Mint Julep: set to “Mint Julep”",
        "Colour of Mint Julep: #808080 → #8FD1B0",
        "Price of Mint Julep: £0 → £200",
    ]


def test_copy_reads_as_a_word_diff():
    assert said("announcement", {"text": "Summer is here"}, text="Spring is here") == [
        "Announcement: “Summer is here” → “Spring is here”"
    ]
    long_before = "Your car is on the water now, and the captain has been told it is precious cargo for the club."
    long_after = "Your car is on the sea now, and the captain has been told it is precious cargo for the club."
    assert said("explainer", {"text": long_before, "video_url": ""}, text=long_after) == [
        "Why the official tracker can lag: “water” → “sea”"
    ]
    assert said("explainer", {"text": long_before, "video_url": ""}, text=long_before + " Truly.") == [
        "Why the official tracker can lag: added “Truly.” after “club.”"
    ]


def test_lines_say_which_line_changed_and_which_came_or_went():
    before = {"lines": ["One line.", "Two lines.", "Old line."], "threshold_minutes": 25, "snooze_minutes": 5}
    after = {"lines": ["One line.", "Two fine lines.", "New line.", "Extra."], "threshold_minutes": 30}
    assert said("nudge", before, **after) == [
        "Nudge lines: removed “Two lines.”",
        "Nudge lines: removed “Old line.”",
        "Nudge lines: added “Two fine lines.”",
        "Nudge lines: added “New line.”",
        "Nudge lines: added “Extra.”",
        "Minutes of active time before a nudge: 25 → 30",
    ]
    assert said("nudge", before, lines=["One line.", "Two lines!", "Old line."]) == [
        "Nudge lines: line 2 “Two lines.” → “Two lines!”"
    ]


def test_nothing_changed_says_nothing_and_no_raw_numbers_are_shown():
    item = desk.item_for("option:wheels-dish")
    assert changes(item, None, dict(item.default), NAMES) == []
    text = " ".join(said("option:wheels-dish", None, price=1000))
    assert "-" not in text.replace("17-inch", "") and "+" not in text
