"""The browser extension's package: minimal permissions, no remote code, every string in
English and French, the vendored anchoring library inside."""

import json
import re
from pathlib import Path

from scripts.build_extension import build, manifest_for

SOURCE = Path(__file__).resolve().parent.parent / "extension"


def messages(lang):
    return json.loads((SOURCE / "_locales" / lang / "messages.json").read_text())


def test_permissions_are_active_tab_storage_and_scripting_only():
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    assert manifest["permissions"] == ["activeTab", "storage", "scripting"]
    assert "host_permissions" not in manifest  # the site's origin and opt-ins are optional
    assert manifest["browser_specific_settings"]["gecko"]["id"]
    assert "service_worker" not in manifest_for("firefox")["background"]


def test_every_string_the_extension_uses_is_in_english_and_french():
    en, fr = messages("en"), messages("fr")
    assert en.keys() == fr.keys()
    used = set()
    for path in [*SOURCE.glob("*.js"), *SOURCE.glob("annotator/*.js"), *SOURCE.glob("*.html")]:
        text = path.read_text()
        used |= set(re.findall(r'\bt\("(\w+)"', text))
        used |= set(re.findall(r'getMessage\("(\w+)"', text))
        used |= set(re.findall(r'data-i18n="(\w+)"', text))
    used |= set(re.findall(r"__MSG_(\w+)__", (SOURCE / "manifest.json").read_text()))
    assert used and used <= en.keys(), used - en.keys()
    for color in ("yellow", "green", "blue", "pink", "purple"):
        assert f"color_{color}" in en
    assert all(fr[key]["message"] != en[key]["message"] for key in ("connect", "highlight"))


def test_the_build_ships_every_line_it_runs(tmp_path):
    out = build(tmp_path / "unpacked", tmp_path / "extension.zip")
    assert (out / "vendor" / "annotator.min.js").stat().st_size > 10_000
    assert not (out / "node_modules").exists() and (tmp_path / "extension.zip").exists()
    for script in out.rglob("*.js"):
        text = script.read_text()
        assert "Function(" not in text or script.name != "annotator.min.js"
        assert not re.search(r"<script[^>]+src=[\"']https?:", text)
    html = (out / "options.html").read_text()
    assert not re.search(r"src=[\"']https?:", html)
