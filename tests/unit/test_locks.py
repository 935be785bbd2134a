"""The hashed lock files in locks/ are in step with pyproject.toml.

`quickstart.py` installs the project with `--no-deps` from these locks, so a dependency added to
pyproject.toml without `python3 quickstart.py lock` would be missing at run time: this fails first.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)
# Which extras each lock is made from (quickstart.LOCKED_EXTRAS), with the extras they pull in.
LOCKS = {"app": [], "otel": ["otel"], "test": ["test"]}


def expanded(extras: list[str]) -> list[Requirement]:
    """The project's own requirements plus those of `extras`, following `motorjoy[x]` self-references."""
    wanted = [Requirement(text) for text in PROJECT["project"]["dependencies"]]
    wanted += [Requirement(text) for text in PROJECT["build-system"]["requires"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in PROJECT["project"]["optional-dependencies"][extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == canonicalize_name(PROJECT["project"]["name"]):
                todo.extend(requirement.extras)
            else:
                wanted.append(requirement)
    return wanted


def pins(lock: str) -> dict[str, Version]:
    text = (ROOT / "locks" / f"{lock}.txt").read_text()
    return {canonicalize_name(name): Version(version) for name, version in PIN.findall(text)}


def test_quickstart_installs_the_locks_this_test_checks():
    import quickstart

    assert {name: sorted(extras) for name, extras in quickstart.LOCKED_EXTRAS.items()} == LOCKS


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_dependency_in_pyproject_is_pinned_in_the_lock_within_its_range(lock):
    pinned = pins(lock)
    missing = [str(r) for r in expanded(LOCKS[lock]) if canonicalize_name(r.name) not in pinned]
    assert not missing, f"not in locks/{lock}.txt: {missing}; run `python3 quickstart.py lock`"
    outside = [
        f"{r.name}=={pinned[canonicalize_name(r.name)]} is outside {r.specifier}"
        for r in expanded(LOCKS[lock])
        if not r.specifier.contains(pinned[canonicalize_name(r.name)], prereleases=True)
    ]
    assert not outside, f"locks/{lock}.txt: {outside}; run `python3 quickstart.py lock`"


@pytest.mark.parametrize("lock", [*sorted(LOCKS), "uv"])
def test_every_pin_has_hashes_and_no_lock_names_an_index(lock):
    text = (ROOT / "locks" / f"{lock}.txt").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])  # one entry per pinned package
    assert entries and all("--hash=sha256:" in entry for entry in entries if "==" in entry.split("\n")[0])
    assert "://" not in text and "--index-url" not in text and "--extra-index-url" not in text


def test_the_smaller_locks_agree_with_the_test_lock():
    """Serving after testing (or the reverse) never changes an installed package's version."""
    everything = pins("test")
    for lock in ("app", "otel"):
        differ = {name: (v, everything.get(name)) for name, v in pins(lock).items() if everything.get(name) != v}
        assert not differ, f"locks/{lock}.txt and locks/test.txt disagree: {differ}"


def test_a_dependency_added_without_relocking_is_caught(monkeypatch):
    grown = dict(PROJECT["project"], dependencies=[*PROJECT["project"]["dependencies"], "left-pad-for-python>=1"])
    monkeypatch.setitem(PROJECT, "project", grown)
    with pytest.raises(AssertionError, match="left-pad-for-python"):
        test_every_dependency_in_pyproject_is_pinned_in_the_lock_within_its_range("app")
