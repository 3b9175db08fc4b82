"""CONECT is non-partisan: the one list of words that name a party or a candidacy (English and
Spanish), and the one test of a piece of text against it.

Targets are officials by office. A target named "Jane Roe (D)" or "Democratic candidate for
Mayor" is a sign that someone is recording a campaign, not an office: the target form and the
admin ask the organizer to confirm before saving (campaigns.forms.TargetForm). The ground floor:
imports no app.
"""

import re
import unicodedata

# Whole words or phrases, compared without accents and case. A word ending in "*" matches any
# ending ("democrat*" matches Democrat, Democratic, Democrats, demócrata).
PARTISAN_WORDS = [
    # English
    "democrat*",
    "republican*",
    "gop",
    "dnc",
    "rnc",
    "working families party",
    "green party",
    "libertarian*",
    "party",
    "candidate*",
    "candidacy",
    "nominee*",
    "campaign for",
    "running for",
    "re-elect*",
    "reelect*",
    "endorse*",
    "incumbent",
    # Spanish
    "democrata*",
    "republicano*",
    "partido",
    "candidato*",
    "candidata*",
    "candidatura",
    "campana de",
    "campana para",
    "aspirante*",
    "postulante*",
    "reelegir",
    "reeleccion",
    "respaldo a",
]
# Party letters after a name: "(D)", "(R)", "(D-CT)", "[R]", "(I)".
PARTY_LETTER = re.compile(r"[(\[]\s*[DRI]\s*(?:[-–,]\s*[A-Z]{2}\s*)?[)\]]")


def _fold(text: str) -> str:
    """Lower case without accents: "Demócrata" and "democrata" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _pattern(word: str) -> str:
    stem = re.escape(_fold(word).rstrip("*")).replace(r"\ ", r"\s+")
    return rf"\b{stem}\w*" if word.endswith("*") else rf"\b{stem}\b"


_WORDS = re.compile("|".join(_pattern(w) for w in PARTISAN_WORDS))


def partisan_words(*texts: str) -> list[str]:
    """The words in `texts` that name a party or a candidacy, as written, in order, once each."""
    found: list[str] = []
    for text in texts:
        for match in PARTY_LETTER.finditer(text or ""):
            found.append(match.group(0))
        for match in _WORDS.finditer(_fold(text or "")):  # reported folded: "democrata"
            found.append(match.group(0))
    return list(dict.fromkeys(found))
