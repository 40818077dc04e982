"""稳就业政策服务平台 (jiuye): employment-support policy catalog, rule engine and calculator."""

from jiuye.errors import FactsError, JiuyeError, ParameterError

__all__ = ["FactsError", "JiuyeError", "ParameterError", "__version__"]
__version__ = "0.1.0"
