"""quotetrack: who said what in news articles, kept and compared."""

from quotetrack.extraction.pipeline import extract, extract_documents
from quotetrack.records import Document, Quote

__all__ = ["Document", "Quote", "extract", "extract_documents"]
__version__ = "0.1.0"
