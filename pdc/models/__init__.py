from .products import Audience, Complexity, DigiD, HandlingLevel, Product, ProductOverride  # noqa: F401
from .taxonomies import Department, LifeEvent, Theme  # noqa: F401
from .upl import UPLName  # noqa: F401
from .top_tasks import HomePageTopTask  # noqa: F401
