"""The documented contract of create-execution-hook, as data."""

from harness.contract.model import Contract, ResponseShape, UnknownResponseError, load_contract
from harness.contract.problems import PROBLEMS, ProblemType, problem_number

__all__ = [
    "PROBLEMS",
    "Contract",
    "ProblemType",
    "ResponseShape",
    "UnknownResponseError",
    "load_contract",
    "problem_number",
]
