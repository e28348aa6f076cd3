from .analytics import SearchQuery
from .outbox import IndexTask
from .report import HiddenQuery
from .tuning import Promotion, Synonym

__all__ = ["HiddenQuery", "IndexTask", "Promotion", "SearchQuery", "Synonym"]
