"""app.ui.answers_yield: Reflex's client applies server updates inside React's startTransition."""

from pathlib import Path

import pytest
import reflex_base

from app.ui.answers_yield import MARK, AnswersYield, ReflexClientChanged, answers_as_transitions

REFLEX_STATE_JS = Path(reflex_base.__file__).parent / ".templates" / "web" / "utils" / "state.js"


def test_the_installed_reflex_client_gets_its_updates_applied_in_a_transition():
    original = REFLEX_STATE_JS.read_text()
    changed = answers_as_transitions(original)
    assert 'import { startTransition, useCallback, useEffect, useRef, useState } from "react";' in changed
    apply = "dispatch[substate](delta[substate]);"
    applied = changed[changed.index(MARK) :]
    assert applied.index("startTransition(() => {") < applied.index(apply)
    assert changed.count(apply) == original.count(apply) == 1
    assert answers_as_transitions(changed) == changed  # a second compile changes nothing more


def test_a_reflex_whose_client_changed_shape_fails_the_build_and_says_where():
    with pytest.raises(ReflexClientChanged, match="answers_yield"):
        answers_as_transitions("export const nothing = 1;\n")


def test_the_plugin_asks_to_change_reflexs_state_js():
    asked: list[tuple[str, object]] = []
    AnswersYield().pre_compile(add_modify_task=lambda path, change: asked.append((path, change)))
    assert asked == [("utils/state.js", answers_as_transitions)]


def test_the_app_compiles_with_it():
    import rxconfig

    assert any(isinstance(plugin, AnswersYield) for plugin in rxconfig.config.plugins)
