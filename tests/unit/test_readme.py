"""The README documents every setting (keeps the configuration table true)."""

from app.config import REPO_ROOT, Settings


def test_every_setting_is_documented() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    missing = [
        (field.alias or name).upper()
        for name, field in Settings.model_fields.items()
        if f"`{(field.alias or name).upper()}`" not in readme
    ]
    assert missing == []
