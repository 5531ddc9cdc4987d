"""How a GraphQL name becomes a Python name: the one converter every module uses.

It is ariadne-codegen's ``str_to_snake_case`` (``ariadne_codegen.utils``), which names
the generated methods, arguments and model fields, so that a name in an error
message, an import column or a method is the name the generated client uses:
``gtin13Code`` -> ``gtin_13_code``, ``retailerID`` -> ``retailer_id``.
"""

from __future__ import annotations

import re

__all__ = ["snake_case"]

# Lower-case words with at most one leading capital; runs of capitals (an acronym)
# up to the capital that starts the next word; runs of digits.
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?=[A-Z][a-z]|\d|\W|_|$)|\d+")


def snake_case(name: str) -> str:
    """``firstName`` -> ``first_name``, ``gtin13Code`` -> ``gtin_13_code``, as the
    generator names it. Spaces, dashes and underscores separate words too."""
    return "_".join(word.lower() for word in _WORDS.findall(name))
