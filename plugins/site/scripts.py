"""Moved to the core (`handbook.core.scripts`): the MkDocs plugin and `handbook export` share it.
This name stays for existing imports and is the same module object."""

import sys

from ..core import scripts as _moved

sys.modules[__name__] = _moved
