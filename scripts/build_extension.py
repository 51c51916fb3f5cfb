"""Build the browser extension: var/extension/ (load unpacked) and var/extension.zip for
Chromium, var/extension-firefox/ and var/extension-firefox.zip for Firefox.

The sources in extension/ plus the vendored @apache-annotator bundle (static/vendor/annotator),
so the extension ships every line it runs: no remote code.
"""

import json
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "extension"
VENDOR = ROOT / "static" / "vendor" / "annotator"
# build tooling kept beside the sources, never shipped
LEFT_OUT = {"node_modules", "package.json", "package-lock.json", "README.md"}
# core-js's fallbacks for engines without globalThis, unreachable in any MV3 browser; add-on
# review (web-ext lint) counts them as eval, so the extension's copy goes without them.
EVAL_FALLBACKS = [
    ('Function("return this")()', "globalThis"),
    ('Function("r","regeneratorRuntime = r")(li)', "void 0"),
]
BROWSERS = ("chromium", "firefox")


def manifest_for(browser: str) -> dict:
    """One manifest source with both background keys: Chromium (121+) runs the service worker
    and ignores `scripts`; Firefox's build drops `service_worker`, which it would ignore (and
    web-ext lint warns about)."""
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    if browser == "firefox":
        manifest["background"].pop("service_worker")
    return manifest


def build(
    out_dir: Path = ROOT / "var" / "extension",
    zip_path: Path | None = None,
    browser: str = "chromium",
) -> Path:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(SOURCE, out_dir, ignore=lambda _dir, names: LEFT_OUT & set(names))
    (out_dir / "manifest.json").write_text(json.dumps(manifest_for(browser), indent=2) + "\n")
    (out_dir / "vendor").mkdir()
    bundle = (VENDOR / "annotator.min.js").read_text()
    for fallback, replacement in EVAL_FALLBACKS:
        if fallback not in bundle:
            raise SystemExit(f"the vendored bundle changed: {fallback!r} not found")
        bundle = bundle.replace(fallback, replacement)
    (out_dir / "vendor" / "annotator.min.js").write_text(bundle)
    shutil.copytree(VENDOR / "licenses", out_dir / "vendor" / "licenses")
    if zip_path is not None:
        zip_path.unlink(missing_ok=True)
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(out_dir.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(out_dir).as_posix())
    return out_dir


if __name__ == "__main__":
    var = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var"
    for browser in BROWSERS:
        suffix = "" if browser == "chromium" else f"-{browser}"
        out = build(var / f"extension{suffix}", var / f"extension{suffix}.zip", browser)
        print(f"built {out} and {out}.zip")
