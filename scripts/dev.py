"""Minimal placeholder: runs pytest against the local services (replaced by the infra work)."""

import os
import subprocess
import sys

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonplace")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("DEBUG", "1")
if sys.argv[1:2] == ["test"]:
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", *sys.argv[2:]]))
