"""Loading and saving ledgers: one converter factory and the JSON, YAML and TOML formats."""

from dangjian.io.converter import make_converter, structure_problems
from dangjian.io.formats import FORMATS, Format, dump, dumps, format_of, load, loads, to_data

__all__ = [
    "FORMATS",
    "Format",
    "dump",
    "dumps",
    "format_of",
    "load",
    "loads",
    "make_converter",
    "structure_problems",
    "to_data",
]
