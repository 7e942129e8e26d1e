"""quotetrack: who said what in news articles, kept and compared.

`extract` and `extract_documents` give the quotes of texts; `Store` keeps them in a database and
answers questions about them (quotes, speakers, comparisons, reports), as the `quotetrack` command does.
The spaCy component is `nlp.add_pipe("quotetrack")` (`QuoteExtractor`).
"""

from quotetrack.api import IngestResult, Store
from quotetrack.extraction.component import QuoteExtractor
from quotetrack.extraction.pipeline import extract, extract_documents
from quotetrack.records import Document, DocumentMeta, Quote

__all__ = ["Document", "DocumentMeta", "IngestResult", "Quote", "QuoteExtractor", "Store", "extract", "extract_documents"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # quotetrack.extract_on_cluster imports Dask on first use only: `import quotetrack` stays light.
    if name == "extract_on_cluster":
        from quotetrack.cluster import extract_on_cluster

        return extract_on_cluster
    raise AttributeError(f"module 'quotetrack' has no attribute {name!r}")
