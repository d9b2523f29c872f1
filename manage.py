#!/usr/bin/env python
"""Developer entry point; operators use the `cchc` console script (same commands)."""

from cchc.cli import main

if __name__ == "__main__":
    main()
