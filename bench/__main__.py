"""`python -m bench [--app-root CHECKOUT] ...`: the application of another checkout (its app/,
migrations and deploy/) is measured when --app-root names one."""

import argparse
import sys
from pathlib import Path

parser = argparse.ArgumentParser(add_help=False)
parser.add_argument("--app-root", type=Path)
known, rest = parser.parse_known_args()
root = (known.app_root or Path(__file__).resolve().parent.parent).resolve()
sys.path.insert(0, str(root))  # before the application is first imported

from bench.run import main  # noqa: E402

main(rest, root)
