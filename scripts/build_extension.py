"""Build the browser extension: var/extension/ (load unpacked) and var/extension.zip.

The sources in extension/ plus the vendored @apache-annotator bundle (static/vendor/annotator),
so the extension ships every line it runs: no remote code.
"""

import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "extension"
VENDOR = ROOT / "static" / "vendor" / "annotator"
# build tooling kept beside the sources, never shipped
LEFT_OUT = {"node_modules", "package.json", "package-lock.json", "README.md"}


def build(out_dir: Path = ROOT / "var" / "extension", zip_path: Path | None = None) -> Path:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(SOURCE, out_dir, ignore=lambda _dir, names: LEFT_OUT & set(names))
    (out_dir / "vendor").mkdir()
    shutil.copy2(VENDOR / "annotator.min.js", out_dir / "vendor" / "annotator.min.js")
    shutil.copytree(VENDOR / "licenses", out_dir / "vendor" / "licenses")
    if zip_path is not None:
        zip_path.unlink(missing_ok=True)
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(out_dir.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(out_dir).as_posix())
    return out_dir


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "extension"
    build(out, out.parent / "extension.zip")
    print(f"built {out} and {out.parent / 'extension.zip'}")
