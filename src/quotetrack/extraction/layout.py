"""Attributions the article's layout makes: headlines ("… — expert", "…, says diplomat", "Poll: …")
and interviews (a dashed question, then the interviewee's answer)."""

from __future__ import annotations

import re

from quotetrack import lexicon
from quotetrack.extraction import cues
from quotetrack.extraction.candidates import Candidate, Mention, Parsed, trim
from quotetrack.spans import CharSpan

HEADLINE_DASH = re.compile(r"^(?P<content>.{12,}?)\s+[—–-]{1,2}\s+(?P<source>[\w.’' -]{2,60})$")
HEADLINE_SAYS = re.compile(
    r"^(?P<content>.{12,}?),\s+(?P<cue>says|said|warns|claims|believes|thinks|insists|argues|tells)\s+(?P<source>[\w.’' -]{2,60})$"
)
HEADLINE_COLON = re.compile(r"^(?P<source>[A-Z][\w.’' -]{1,40}):\s+(?P<content>\S.{8,})$")
INTERVIEW_INTRO = re.compile(
    r"(answered|answers|answering)\s+(?:the\s+)?(?:\w+['’]s\s+)?questions|in an interview with|told\s+\w+\s+in an interview|interviewed by",
    re.I,
)
LABEL = re.compile(r"^(?P<label>[A-Z][\w.’']*(?:[-\s][A-Z][\w.’']*){0,3})\s*[-–—:]\s+(?=\S)")
DASH_LINE = re.compile(r"^[-–—]\s*")

FURNITURE = re.compile(r"\s*(?:" + "|".join(re.escape(p) for p in lexicon.sequence("furniture_prefixes")) + r")(?!\w)", re.I)
FUNCTION_WORDS = lexicon.words("function_words")
QUOTE_OPENERS = "\"“‘'«"


def furniture(text: str, paras: list[CharSpan]) -> list[CharSpan]:
    """The paragraphs that are page furniture: "READ MORE: …", "WATCH: …", photo captions, credits."""
    return [(start, end) for start, end in paras if FURNITURE.match(text, start, end)]


def headline_candidates(text: str, paras: list[CharSpan]) -> list[Candidate]:
    found = []
    for start, end in paras[:6]:
        line = text[start:end]
        if len(line) > 220 or line.rstrip()[-1:] in ".?!\"”" and not HEADLINE_COLON.match(line):
            continue
        for pattern, cue_group in ((HEADLINE_DASH, None), (HEADLINE_SAYS, "cue"), (HEADLINE_COLON, None)):
            match = pattern.match(line)
            if not match:
                continue
            source = match.group("source").strip()
            # "Elizabeth Warren Hammers Wells Fargo CEO: ‘You Should Be …’": a quoted headline may say
            # more of its speaker than a name
            quoted = pattern is HEADLINE_COLON and match.group("content")[:1] in QUOTE_OPENERS and len(source.split()) > 3 \
                and all(w[:1].isupper() for w in source.split())
            if len(source.split()) > (8 if quoted else 5):
                continue
            if pattern is HEADLINE_COLON and not (quoted or colon_source(source)):
                continue
            s_start = start + match.start("source")
            s_span = (s_start, s_start + len(match.group("source").rstrip()))
            c_span = trim(text, (start + match.start("content"), start + match.end("content")))
            if c_span is None:
                continue
            if cue_group:
                cue = (start + match.start(cue_group), start + match.end(cue_group))
            else:
                sep = text[c_span[1] : s_span[0]] if pattern is not HEADLINE_COLON else ":"
                pos = (c_span[1] + sep.find(sep.strip())) if pattern is not HEADLINE_COLON else s_span[1]
                cue = (pos, pos + max(1, len(sep.strip()))) if pattern is not HEADLINE_COLON else (s_span[1], s_span[1] + 1)
            words = source.split()
            head = words[-1].lower()
            mention = Mention(s_span, text[s_span[0] : s_span[1]], head.rstrip("s"), "NOUN" if source[:1].islower() else "PROPN",
                              role_words=tuple(w.lower() for w in words))
            found.append(Candidate([c_span], "indirect", "headline", cue, mention, confidence=0.6))
            break
    return found


def colon_source(source: str) -> bool:
    """`Pat Caddell: …` and `Poll: …` name a source; `The Latest: …` and `Stealth Over Health: …` do not."""
    words = source.split()
    if len(words) == 1:
        return words[0].lower().rstrip("s") in cues.SPEAKER_NOUNS or words[0][:1].isupper() and len(words[0]) > 3
    return len(words) <= 3 and all(w[:1].isupper() and w.lower() not in FUNCTION_WORDS for w in words)


def interview_candidates(parsed: Parsed, paras: list[CharSpan]) -> list[Candidate]:
    """Questions start with a dash and end with '?'; the answers after them belong to the interviewee."""
    text = parsed.text
    intro = None
    for start, end in paras:
        if INTERVIEW_INTRO.search(text[start:end]):
            people = [p for p in parsed.people if start <= p.span[0] < end and p.label == "PERSON"]
            if people:
                intro = people[0]
                break
    if intro is None:
        return []
    found: list[Candidate] = []
    current: Candidate | None = None
    after_question = False
    for start, end in paras:
        if start < intro.span[0]:
            continue
        line = text[start:end]
        dashed = DASH_LINE.match(line)
        if dashed and line.rstrip().endswith("?"):
            after_question, current = True, None
            continue
        if not after_question:
            continue
        label = LABEL.match(line) if not dashed else None
        body_start = start + (dashed.end() if dashed else label.end() if label else 0)
        span = trim(text, (body_start, end))
        if span is None:
            continue
        if dashed or label or current is None:
            mention = None
            if label:
                l_span = (start + label.start("label"), start + label.end("label"))
                mention = Mention(l_span, text[l_span[0] : l_span[1]], "", "PROPN", entity=("PERSON", l_span, label.group("label")))
            current = Candidate([span], "direct", "interview", None, mention, speaker=intro.text,
                                speaker_kind="person", confidence=0.75)
            found.append(current)
        elif len(line) > 80:
            current.content.append(span)
        else:
            after_question, current = False, None
    return found
