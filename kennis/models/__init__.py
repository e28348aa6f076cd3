from .notes import AgentNote, AgentNoteKind  # noqa: F401
from .vac import VAC, VACOverride, VACStatus  # noqa: F401
