"""Publishing: a person reviews a saved check (signs a verdict and a rating, with a note and the
documents to cite), the publisher is configured once, and reviewed checks are exported."""
from tabayyun.publish.export import CSV_COLUMNS, FORMATS, claim_rows, reviewed_checks, write_export
from tabayyun.publish.publisher import Publisher
from tabayyun.publish.review import make_review, reviewed_check

__all__ = ["Publisher", "make_review", "reviewed_check", "reviewed_checks", "claim_rows", "write_export",
           "FORMATS", "CSV_COLUMNS"]
