"""Folder mapping: explicit mapping, special-use roles, separator/prefix translation, filters."""

from __future__ import annotations

from imapclient.imap_utf7 import decode, encode

from workers.engine.plan import (
    FolderInfo,
    Layout,
    MappingRules,
    folders_to_create,
    is_excluded,
    map_folder,
    plan_folders,
    role_folders,
    translate_name,
)


def _folders(*names: str, **roles: str) -> tuple[FolderInfo, ...]:
    by_name = {name: flag for flag, name in roles.items()}
    return tuple(
        FolderInfo(name, frozenset({"\\" + by_name[name]}) if name in by_name else frozenset())
        for name in names
    )


EXCHANGE = Layout(
    "/",
    "",
    _folders(
        "INBOX", "Sent Items", "Deleted Items", "Junk E-mail", "Drafts", "Archive", "Archive/2019",
        "Projects", "Projects/2024", "Reports 1.5", "Entwürfe",
        Sent="Sent Items", Trash="Deleted Items", Junk="Junk E-mail", Drafts="Drafts", Archive="Archive",
    ),
)  # fmt: skip
COURIER = Layout(
    ".",
    "INBOX.",
    _folders(
        "INBOX", "INBOX.Sent", "INBOX.Trash", "INBOX.Junk", "INBOX.Drafts", "INBOX.Archive",
        Sent="INBOX.Sent", Trash="INBOX.Trash", Junk="INBOX.Junk",
        Drafts="INBOX.Drafts", Archive="INBOX.Archive",
    ),
)  # fmt: skip
NO_SPECIAL_USE_SRC = Layout(
    "/", "", _folders("INBOX", "Sent Messages", "Deleted Messages", "Spam", "Bulk Mail")
)
NO_SPECIAL_USE_DST = Layout(".", "INBOX.", _folders("INBOX", "INBOX.Sent", "INBOX.Trash", "INBOX.Junk"))


def test_special_use_folders_land_in_the_destination_role_folders() -> None:
    rules = MappingRules()
    assert map_folder("Sent Items", EXCHANGE, COURIER, rules) == ("INBOX.Sent", "special-use")
    assert map_folder("Deleted Items", EXCHANGE, COURIER, rules) == ("INBOX.Trash", "special-use")
    assert map_folder("Junk E-mail", EXCHANGE, COURIER, rules) == ("INBOX.Junk", "special-use")
    assert map_folder("INBOX", EXCHANGE, COURIER, rules) == ("INBOX", "inbox")


def test_children_follow_their_mapped_parent() -> None:
    assert map_folder("Archive/2019", EXCHANGE, COURIER, MappingRules())[0] == "INBOX.Archive.2019"
    rules = MappingRules(mapping={"Projects": "INBOX.Old.Projects"})
    assert map_folder("Projects/2024", EXCHANGE, COURIER, rules) == ("INBOX.Old.Projects.2024", "explicit")


def test_common_names_are_used_when_servers_lack_special_use() -> None:
    roles = role_folders(NO_SPECIAL_USE_SRC)
    assert roles["\\Sent"] == "Sent Messages"
    assert roles["\\Trash"] == "Deleted Messages"
    assert roles["\\Junk"] == "Spam"  # the first common name found wins; "Bulk Mail" stays a folder
    rules = MappingRules()
    assert map_folder("Sent Messages", NO_SPECIAL_USE_SRC, NO_SPECIAL_USE_DST, rules)[0] == "INBOX.Sent"
    assert map_folder("Spam", NO_SPECIAL_USE_SRC, NO_SPECIAL_USE_DST, rules)[0] == "INBOX.Junk"
    assert map_folder("Bulk Mail", NO_SPECIAL_USE_SRC, NO_SPECIAL_USE_DST, rules)[0] == "INBOX.Bulk Mail"


def test_explicit_mapping_wins_over_special_use() -> None:
    rules = MappingRules(mapping={"Sent Items": "INBOX.Old Sent"})
    assert map_folder("Sent Items", EXCHANGE, COURIER, rules) == ("INBOX.Old Sent", "explicit")


def test_separator_and_prefix_translation_both_ways() -> None:
    assert translate_name("Projects/2024", EXCHANGE, COURIER) == "INBOX.Projects.2024"
    assert translate_name("INBOX.Projects.2024", COURIER, EXCHANGE) == "Projects/2024"
    assert translate_name("INBOX", COURIER, EXCHANGE) == "INBOX"
    inbox_child = Layout("/", "", _folders("INBOX", "INBOX/Receipts"))
    assert translate_name("INBOX/Receipts", inbox_child, COURIER) == "INBOX.Receipts"


def test_a_destination_separator_inside_a_name_does_not_create_a_hierarchy() -> None:
    assert translate_name("Reports 1.5", EXCHANGE, COURIER) == "INBOX.Reports 1_5"
    assert translate_name("INBOX.a/b", COURIER, EXCHANGE) == "a_b"


def test_unicode_names_round_trip_through_modified_utf7() -> None:
    for name in ("Entwürfe", "Réunions/Équipe", "R&D", "日本語"):
        dst_name = translate_name(name, EXCHANGE, COURIER)
        assert decode(encode(dst_name)) == dst_name
        assert translate_name(dst_name, COURIER, EXCHANGE) == name


def test_include_and_exclude_by_name_subtree_and_regex() -> None:
    rules = MappingRules(exclude=("Archive", "Junk.*"))
    assert is_excluded("Archive", rules, "/")
    assert is_excluded("Archive/2019", rules, "/")
    assert is_excluded("Junk E-mail", rules, "/")
    assert not is_excluded("Archived", rules, "/")
    assert not is_excluded("INBOX", rules, "/")
    only = MappingRules(include=("INBOX", "Projects"))
    assert not is_excluded("Projects/2024", only, "/")
    assert is_excluded("Sent Items", only, "/")
    assert is_excluded("[broken", MappingRules(exclude=("[broken",)), "/")  # invalid regex: a plain name


def test_plan_skips_unselectable_and_excluded_and_lists_folders_to_create() -> None:
    src = Layout("/", "", (*EXCHANGE.folders, FolderInfo("Shared", frozenset({"\\Noselect"}))))
    plan = plan_folders(src, COURIER, MappingRules(exclude=("Junk E-mail",)))
    by_src = {m.src: m for m in plan.mappings}
    assert plan.mappings[0].src == "INBOX"
    assert "Shared" not in by_src
    assert plan.excluded == ("Junk E-mail",)
    assert by_src["Sent Items"].dst_exists
    assert not by_src["Projects/2024"].dst_exists
    created = list(folders_to_create(plan, "."))
    assert created.index("INBOX.Projects") < created.index("INBOX.Projects.2024")
    assert "INBOX.Sent" not in created


def test_an_escaped_name_is_reported_in_the_plan() -> None:
    plan = {m.src: m for m in plan_folders(EXCHANGE, COURIER, MappingRules()).mappings}
    assert plan["Reports 1.5"].dst == "INBOX.Reports 1_5"
    assert plan["Reports 1.5"].note and "'.' separates folders on the destination" in plan["Reports 1.5"].note
    assert "'_'" in plan["Reports 1.5"].note
    assert [m.src for m in plan.values() if m.note] == ["Reports 1.5"]


def test_an_escaped_name_that_collides_gets_a_name_of_its_own_and_its_children_follow() -> None:
    src = Layout("/", "", _folders("INBOX", "a.b", "a.b/c", "a_b", "a_b/c", "x.y_z", "x_y.z"))
    dst = Layout(".", "INBOX.", _folders("INBOX", "INBOX.a_b (2)"))
    plan = {m.src: m for m in plan_folders(src, dst, MappingRules()).mappings}
    assert {name: m.dst for name, m in plan.items()} == {
        "INBOX": "INBOX",
        "a_b": "INBOX.a_b",  # its name needed no change: it keeps it
        "a_b/c": "INBOX.a_b.c",
        "a.b": "INBOX.a_b (2)",
        "a.b/c": "INBOX.a_b (2).c",
        "x.y_z": "INBOX.x_y_z",  # both escaped: the first by name keeps it
        "x_y.z": "INBOX.x_y_z (2)",
    }
    assert plan["a.b"].dst_exists and not plan["a.b/c"].dst_exists
    assert plan["a.b"].note and "'INBOX.a_b' is already the destination of 'a_b'" in plan["a.b"].note
    assert plan["a_b"].note is None
    assert plan["a.b/c"].note and "already" not in plan["a.b/c"].note


def test_folders_mapped_together_on_purpose_stay_together() -> None:
    src = Layout("/", "", _folders("INBOX", "Old Sent", "Sent Items", Sent="Sent Items"))
    plan = plan_folders(src, COURIER, MappingRules(mapping={"Old Sent": "INBOX.Sent"}))
    assert {m.src: (m.dst, m.note) for m in plan.mappings} == {
        "INBOX": ("INBOX", None),
        "Old Sent": ("INBOX.Sent", None),
        "Sent Items": ("INBOX.Sent", None),
    }


def test_folders_that_would_merge_in_the_inbox_namespace_get_names_of_their_own() -> None:
    src = Layout("/", "", _folders("INBOX", "INBOX/Unterordner", "INBOX/Unterordner/Sub", "Unterordner"))
    dst = Layout(".", "INBOX.", _folders("INBOX"))
    plan = {m.src: m for m in plan_folders(src, dst, MappingRules()).mappings}
    assert {name: m.dst for name, m in plan.items()} == {
        "INBOX": "INBOX",
        "Unterordner": "INBOX.Unterordner",  # the shallower source folder keeps the name
        "INBOX/Unterordner": "INBOX.Unterordner (2)",
        "INBOX/Unterordner/Sub": "INBOX.Unterordner (2).Sub",  # children follow their parent
    }
    assert plan["INBOX/Unterordner"].note == (
        "'INBOX.Unterordner' is already the destination of 'Unterordner', "
        "so this one goes to 'INBOX.Unterordner (2)'"
    )
    assert plan["Unterordner"].note is None
    reordered = Layout("/", "", tuple(reversed(src.folders)))
    assert plan_folders(reordered, dst, MappingRules()).mappings == tuple(plan.values())  # stable


def test_a_user_folder_named_like_the_destinations_junk_folder_is_not_merged_into_it() -> None:
    src = Layout("/", "", _folders("INBOX", "Junk", "Spam", Junk="Junk"))
    dst = Layout(".", "INBOX.", _folders("INBOX", "INBOX.Spam", Junk="INBOX.Spam"))
    plan = {m.src: m for m in plan_folders(src, dst, MappingRules()).mappings}
    assert (plan["Junk"].dst, plan["Junk"].reason, plan["Junk"].note) == ("INBOX.Spam", "special-use", None)
    assert plan["Spam"].dst == "INBOX.Spam (2)" and plan["Spam"].note
    assert not plan["Spam"].dst_exists


def test_an_explicit_mapping_may_merge_and_is_never_renamed() -> None:
    src = Layout("/", "", _folders("INBOX", "Old", "Unterordner", "INBOX/Unterordner"))
    dst = Layout(".", "INBOX.", _folders("INBOX"))
    rules = MappingRules(mapping={"Old": "INBOX.Unterordner"})
    plan = {m.src: (m.dst, m.note) for m in plan_folders(src, dst, rules).mappings}
    assert plan["Old"] == plan["Unterordner"] == ("INBOX.Unterordner", None)  # merged on purpose
    assert plan["INBOX/Unterordner"][0] == "INBOX.Unterordner (2)"  # not by the user's choice


def test_a_source_role_the_destination_lacks_is_kept_for_the_folder_to_create() -> None:
    src = Layout("/", "", _folders("INBOX", "Archive", "Archive/2019", Archive="Archive"))
    dst = Layout(".", "INBOX.", _folders("INBOX"))
    plan = {m.src: m for m in plan_folders(src, dst, MappingRules()).mappings}
    assert (plan["Archive"].dst, plan["Archive"].role) == ("INBOX.Archive", "\\Archive")
    assert plan["Archive/2019"].role is None
