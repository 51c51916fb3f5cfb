#!/usr/bin/env bash
# Make .venv with Python 3.13 or 3.12 and install the project with its dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv installs versions it does not put on PATH as shims that refuse to run
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 \
                   "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 \
                   /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
      echo "$candidate"; return 0
    fi
  done
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
    command -v python3; return 0
  fi
  return 1
}

PYTHON=$(find_python) || {
  echo "Commonplace needs Python 3.12 or newer (Django 6.1). Install python3.13 or python3.12 and run make again." >&2
  exit 1
}
echo "Using $PYTHON"

# Dependencies come from uv.lock (every transitive package pinned): `uv sync --frozen`. uv is
# ~10x faster than pip; pyenv may show a `uv` shim that refuses to run, so test it, and install
# uv with pip when it is missing. Without uv (NO_UV=1, or pip cannot get it), pip installs the
# same pins from requirements.lock, exported from uv.lock (`make lock`).
UV=""
if [ -n "${NO_UV:-}" ]; then
  :  # NO_UV=1: use pip, as on a machine without uv
elif uv --version >/dev/null 2>&1; then
  UV=uv
elif "$PYTHON" -m uv --version >/dev/null 2>&1; then
  UV="$PYTHON -m uv"
elif "$PYTHON" -m pip install --quiet uv >/dev/null 2>&1 && "$PYTHON" -m uv --version >/dev/null 2>&1; then
  UV="$PYTHON -m uv"
fi

# A .venv from an interpreter that is gone or too old is rebuilt.
if [ -e .venv ] && ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
  echo "Rebuilding .venv (its Python is missing or older than 3.12)"
  rm -rf .venv
fi
if [ -n "$UV" ]; then
  echo "Installing the locked dependencies into .venv with uv (uv.lock)"
  UV_PROJECT_ENVIRONMENT=.venv $UV sync --quiet --frozen --all-extras --python "$PYTHON"
else
  echo "Installing the locked dependencies into .venv with pip (requirements.lock)"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
fi
