"""Parameters as data: dated values, each with a reference to a clause or a named assumption."""

from jiuye.params.loader import load_parameters
from jiuye.params.model import Parameter, ParameterSet, Params, Reference, ValueEntry

__all__ = ["Parameter", "ParameterSet", "Params", "Reference", "ValueEntry", "load_parameters"]
