"""A task's folder rules (app/folder_rules.py): the names a mapping may hold, the regex rules'
decisions as the plan, the preview and the copy job take them, and the plan's rows in one order."""

from __future__ import annotations

import pytest

from app.folder_rules import FolderRules, mapping_problems, name_problem, pattern_problem, slash_name
from app.schemas.events import AccountPlan, PlannedFolder
from app.schemas.runs import PlanOut
from workers.engine.plan import FolderInfo, Layout, MappingRules, plan_folders

COURIER = Layout(
    ".",
    "INBOX.",
    tuple(
        FolderInfo(name)
        for name in ("INBOX", "INBOX.Sent", "INBOX.Projects", "INBOX.Projects.2019", "INBOX.Junk")
    ),
)
DOVECOT = Layout("/", "", (FolderInfo("INBOX"),))


@pytest.mark.parametrize(
    "name", ["Archive", "INBOX", "Réunions/Équipe", "Reports 1.5", "a b", "[Gmail]/Sent"]
)
def test_ordinary_names_pass(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", " ", "A*", "%", "x\ny", "x\u0085y", "x\x1by"])
def test_names_no_server_can_hold_are_refused(name: str) -> None:
    assert name_problem(name) is not None


def test_inbox_in_any_case_is_one_destination() -> None:
    problems = mapping_problems({"Old Inbox": "inbox", "Posteingang": "INBOX", "Sent Items": "Sent"})
    assert set(problems) == {"folder_mapping.Old Inbox", "folder_mapping.Posteingang"}
    assert mapping_problems({"A": "Sent", "B": "sent"}) == {}  # other names: as the server spells them


def test_a_bad_name_is_reported_once_and_takes_no_part_in_duplicates() -> None:
    assert list(mapping_problems({"A": "x*", "B": "x*"})) == ["folder_mapping.A", "folder_mapping.B"]
    assert all("wildcards" in message for message in mapping_problems({"A": "x*", "B": "x*"}).values())


def test_patterns_are_python_regular_expressions() -> None:
    assert pattern_problem(r"(?i)^inbox/\d{4}$") is None
    problem = pattern_problem("(?P<x")
    assert problem is not None and problem.startswith('"(?P<x" is not a valid regular expression: ')


def test_names_are_matched_with_slashes_between_levels() -> None:
    assert slash_name("INBOX.Projects.2019", ".") == "INBOX/Projects/2019"
    assert slash_name("Projects/2019", "/") == "Projects/2019"
    assert slash_name("Flat", "") == "Flat"
    rules = FolderRules(exclude=(r"^INBOX/Projects/\d+$",))
    assert rules.excluded_by("INBOX.Projects.2019", ".") == r"exclude rule ^INBOX/Projects/\d+$"
    assert rules.excluded_by("INBOX.Projects", ".") is None


def test_the_list_comes_first_then_exclude_rules_then_include_rules() -> None:
    rules = FolderRules(include=("^INBOX$",), exclude=("Junk", "Sent"), listed=("INBOX.Junk",))
    assert rules.decide("INBOX.Junk", ".") == (False, "list")
    assert rules.decide("INBOX.Sent", ".") == (False, "exclude rule Sent")
    assert rules.decide("INBOX.Projects", ".") == (False, "include rules")
    assert rules.decide("INBOX", ".") == (True, "include rule ^INBOX$")
    assert FolderRules().decide("INBOX.Sent", ".") == (True, None)


def test_the_list_keeps_its_subtree_and_full_match_regex_meaning() -> None:
    rules = FolderRules(listed=("INBOX.Projects", "Arch.*"))
    assert rules.excluded_by("INBOX.Projects.2019", ".") == "list"
    assert rules.excluded_by("Archive", "/") == "list"
    assert rules.excluded_by("INBOX.ProjectsX", ".") is None
    assert FolderRules(listed=("[broken",)).excluded_by("[broken", "/") == "list"


def test_the_plan_leaves_out_what_the_rules_say_and_says_why() -> None:
    rules = FolderRules(include=("(?i)inbox",), exclude=("/2019$",), listed=("INBOX.Junk",))
    plan = plan_folders(COURIER, DOVECOT, MappingRules(select=rules.excluded_by))
    assert [m.src for m in plan.mappings] == ["INBOX", "INBOX.Projects", "INBOX.Sent"]
    assert dict(plan.excluded_by) == {"INBOX.Projects.2019": "exclude rule /2019$", "INBOX.Junk": "list"}
    only_inbox = plan_folders(
        COURIER, DOVECOT, MappingRules(select=FolderRules(include=("^INBOX$",)).excluded_by)
    )
    assert [m.src for m in only_inbox.mappings] == ["INBOX"]
    assert set(only_inbox.excluded_by.values()) == {"include rules"}


def test_the_plans_rows_keep_their_place_when_excluded() -> None:
    def item(src: str) -> PlannedFolder:
        return PlannedFolder(src=src, dst=src, reason="translated", dst_exists=True, messages=1)

    plan = AccountPlan(
        folders=[item("INBOX"), item("Drafts"), item("Sent")],
        excluded=["Zeta", "Archive", "Junk"],
        excluded_by={"Zeta": "list", "Archive": "exclude rule ^Arch", "Junk": "include rules"},
        src_separator="/",
        dst_separator=".",
        dst_prefix="INBOX.",
        dst_other_prefixes=["shared."],
    )
    out = PlanOut.from_plan(7, plan)
    assert [f.source for f in out.folders] == ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Zeta"]
    assert {f.source: f.excluded_by for f in out.folders if f.excluded} == plan.excluded_by
    assert (out.src_separator, out.dst_separator, out.dst_prefix, out.dst_other_prefixes) == (
        "/",
        ".",
        "INBOX.",
        ["shared."],
    )
