"""Every French message docgen prints, in one place: one module per stage, all re-exported here.

Messages are str.format patterns (or small functions where plural or agreement needs logic); the
code fills in names, paths and numbers and never words a message itself. Call sites read them as
``messages.NAME`` (``from docgen import messages as msg``), whichever submodule holds them.
"""

from __future__ import annotations

from .acts import *  # noqa: F403
from .build import *  # noqa: F403
from .cli import *  # noqa: F403
from .copil import *  # noqa: F403
from .docx import *  # noqa: F403
from .dossier import *  # noqa: F403
from .fond import *  # noqa: F403
from .limits import *  # noqa: F403
from .output import *  # noqa: F403
from .perimeters import *  # noqa: F403
from .reading import *  # noqa: F403
from .remise import *  # noqa: F403
from .render import *  # noqa: F403
from .signed import *  # noqa: F403
from .templates import *  # noqa: F403
from .verify import *  # noqa: F403
from .web_actes import *  # noqa: F403
