"""tabayyun (تبيّن, "verify before you believe"): offline, Arabic-first news verification."""
from tabayyun.errors import TabayyunError
from tabayyun.records import Claim, Document, Evidence, Sentence, Verdict

__version__ = "0.1.0"
__all__ = ["Tabayyun", "Document", "Sentence", "Claim", "Evidence", "Verdict", "TabayyunError"]


def __getattr__(name: str):
    if name == "Tabayyun":  # imported lazily: the pipeline pulls in the index and models
        from tabayyun.pipeline import Tabayyun

        return Tabayyun
    raise AttributeError(name)
