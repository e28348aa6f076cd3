from .analytics import SearchQuery
from .outbox import IndexTask
from .tuning import Promotion, Synonym

__all__ = ["IndexTask", "Promotion", "SearchQuery", "Synonym"]
