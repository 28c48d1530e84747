"""``python -m tabayyun.service ...``: the same as ``tabayyun serve ...``."""
import sys

from tabayyun.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
