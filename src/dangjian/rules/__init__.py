"""Rules as dated, cited data; rule kinds that evaluate them; the check that runs them."""

from dangjian.rules.context import Context
from dangjian.rules.engine import check, load_waivers
from dangjian.rules.loader import PROFILES, RuleSet, load_rules, read_rule_file
from dangjian.rules.registry import Evaluator, Registry, RuleKind, default_registry
from dangjian.rules.schema import Applicability, Confidence, DatedParams, InForce, Rule

__all__ = [
    "PROFILES",
    "Applicability",
    "Confidence",
    "Context",
    "DatedParams",
    "Evaluator",
    "InForce",
    "Registry",
    "Rule",
    "RuleKind",
    "RuleSet",
    "check",
    "default_registry",
    "load_rules",
    "load_waivers",
    "read_rule_file",
]
