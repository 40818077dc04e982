"""Job-posting intake: Excel, CSV and JSON files from several channels → parsed, coded postings.

Modules: :mod:`.files` (reading files into rows with line numbers), :mod:`.columns` (the column and key
names staff and boards use), :mod:`.postings` (row → :class:`~jiuye.jobs.model.Posting`, the report of
bad rows, strict and lenient imports).
"""

from jiuye.jobs.intake.columns import FIELD_ALIASES, FIELD_LABELS, field_of
from jiuye.jobs.intake.postings import (
    EMPLOYER_TYPES,
    ChannelNameError,
    IntakeProgress,
    IntakeResult,
    PostingImportError,
    TitleClassifier,
    check_channel,
    default_title_classifier,
    import_postings,
    postings_from_records,
)

__all__ = [
    "EMPLOYER_TYPES",
    "FIELD_ALIASES",
    "FIELD_LABELS",
    "ChannelNameError",
    "IntakeProgress",
    "IntakeResult",
    "PostingImportError",
    "TitleClassifier",
    "check_channel",
    "default_title_classifier",
    "field_of",
    "import_postings",
    "postings_from_records",
]
