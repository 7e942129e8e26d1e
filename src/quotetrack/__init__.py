"""quotetrack: who said what in news articles, kept and compared."""

from quotetrack.extraction.component import QuoteExtractor
from quotetrack.extraction.pipeline import extract, extract_documents
from quotetrack.records import Document, DocumentMeta, Quote

__all__ = ["Document", "DocumentMeta", "Quote", "QuoteExtractor", "extract", "extract_documents"]
__version__ = "0.1.0"
