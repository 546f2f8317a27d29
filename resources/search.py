"""Library search that understands how carers ask.

1. The query is cut into concepts: a phrase curators gave a synonym for ("mum and dad",
   "SGO", "PP+") is one concept with its meanings as alternatives; every other word that
   is not a stop word is a concept of its own.
2. All concepts first (each by any of its alternatives). When that finds fewer than
   FEW, any concept, ranked so resources matching more of the query come first.
3. Nothing at all: each unknown word is corrected against the library's own words
   ("gaurdianship" -> "guardianship") and the search runs again, with "Did you mean …?".

PostgreSQL: the english stemmer over search_vector (and the Welsh index on Welsh pages),
ranked with ts_rank, snippets by ts_headline. SQLite: FTS5 with the porter tokenizer,
bm25 ranking and snippet(), kept in step by triggers (migration 0012), so the embedded
default searches as production does.
"""

# The SQL here is built from this module's constants only; what a person types is always
# passed as a parameter.
# ruff: noqa: S608, S611

import dataclasses
import difflib
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.i18n import is_welsh
from resources.models import BestBet, Resource, SearchSynonym, normalise_query

FEW = 3  # all-words matches below this many: widen to any word
# Weights for D, C, B, A on PostgreSQL: the title (A) counts five times the body (C).
SEARCH_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
FTS_TABLE = "resources_resource_fts"
# bm25 weights for the FTS5 columns: title, summary, body, then their Welsh twins.
BM25 = "bm25(resources_resource_fts, 10.0, 4.0, 1.0, 10.0, 4.0, 1.0)"
ENGLISH_COLUMNS = "{title summary body}"
MARK_START, MARK_END = "\x02", "\x03"
VOCABULARY_KEY = "resources:search-vocabulary"
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "off",
        "on",
        "or",
        "our",
        "out",
        "over",
        "own",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "i'm",
        "i've",
        "can't",
        "don't",
    ]
)
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"(?m)^\s*[#>]+\s*|[*_`]{1,3}")  # headings, quotes, emphasis
WORD = re.compile(r"[\w+]+(?:['’]\w+)?")


@dataclasses.dataclass
class Search:
    """What the results page needs besides the resources."""

    results: QuerySet
    query: str
    did_you_mean: str = ""
    best_bets: list = dataclasses.field(default_factory=list)


def _words(text: str) -> list[str]:
    return WORD.findall(normalise_query(text))


def concepts(query: str, synonyms=None) -> list[list[str]]:
    """The query as concepts, each a list of alternative words or phrases (the first is
    what was typed)."""
    words = _words(query)
    if synonyms is None:
        synonyms = list(SearchSynonym.objects.values_list("term", "means", "both_ways"))
    covered = [False] * len(words)
    found: list[tuple[int, list[str]]] = []

    def claim(phrase: str, alternatives: list[str]) -> None:
        size = len(phrase.split())
        target = phrase.split()
        for start in range(len(words) - size + 1):
            if words[start : start + size] == target and not any(covered[start : start + size]):
                covered[start : start + size] = [True] * size
                found.append((start, [phrase, *alternatives]))

    rules = []
    for term, means, both_ways in synonyms:
        meanings = [m.strip() for m in means.split(",") if m.strip()]
        rules.append((term, meanings))
        if both_ways:  # "school place" also finds what "admissions" finds
            rules += [(m, [term, *(o for o in meanings if o != m)]) for m in meanings]
    for phrase, alternatives in sorted(rules, key=lambda rule: -len(rule[0].split())):
        claim(phrase, alternatives)
    for position, word in enumerate(words):
        if not covered[position] and word not in STOP_WORDS:
            found.append((position, [word]))
    return [alternatives for _, alternatives in sorted(found)]


# --- PostgreSQL ----------------------------------------------------------------------


def _ts(phrase: str, config: str) -> SearchQuery:
    kind = "phrase" if len(phrase.split()) > 1 else "plain"
    return SearchQuery(phrase.replace("+", " "), config=config, search_type=kind)


def _either(alternatives: list[str], config: str) -> SearchQuery:
    query = _ts(alternatives[0], config)
    for phrase in alternatives[1:]:
        query |= _ts(phrase, config)
    return query


def _postgres_queries(ideas: list[list[str]], config: str) -> tuple[SearchQuery, SearchQuery]:
    every = any_ = None
    for alternatives in ideas:
        either = _either(alternatives, config)
        every = either if every is None else every & either
        any_ = either if any_ is None else any_ | either
    return every, any_


def _postgres(qs: QuerySet, ideas: list[list[str]], welsh: bool) -> QuerySet:
    every, any_ = _postgres_queries(ideas, "english")
    vectors = [("search_vector", every, any_)]
    if welsh:
        vectors.append(("search_vector_cy", *_postgres_queries(ideas, "portal_welsh")))
    all_match = Q()
    any_match = Q()
    for column, all_query, any_query in vectors:
        all_match |= Q(**{column: all_query})
        any_match |= Q(**{column: any_query})
    # Asked of the index alone: with the other conditions added, the planner may scan
    # every row to prove there are few.
    # Unordered, so it stops at the FEW-th match (the default order sorted every match first).
    found = Resource.objects.filter(all_match).order_by().values("pk")[:FEW].count()
    enough = found >= FEW
    scores = [
        SearchRank(F(column), any_query, weights=SEARCH_WEIGHTS) for column, _, any_query in vectors
    ]
    score = scores[0] if len(scores) == 1 else Greatest(*scores)
    # Resources matching every concept come before those matching some.
    score = score + Case(
        When(all_match, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
    )
    headline = SearchHeadline(
        "body",
        any_,
        config="english",
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=28,
        min_words=12,
        max_fragments=1,
    )
    return found, (
        qs.filter(all_match if enough else any_match)
        .annotate(score=score, snippet_text=headline)
        .order_by("-score", "-published_at", "-pk")
    )


# --- SQLite FTS5 ---------------------------------------------------------------------


def _fts_phrase(phrase: str) -> str:
    return '"' + " ".join(WORD.findall(phrase.replace("+", " "))).replace('"', "") + '"'


def _fts_either(alternatives: list[str]) -> str:
    phrases = [_fts_phrase(p) for p in alternatives if WORD.findall(p.replace("+", " "))]
    return "(" + " OR ".join(phrases) + ")" if phrases else ""


def _fts_queries(ideas: list[list[str]], welsh: bool) -> tuple[str, str]:
    parts = [part for part in (_fts_either(a) for a in ideas) if part]
    every, any_ = " AND ".join(parts), " OR ".join(parts)
    if not welsh:  # English pages search the English columns only
        every, any_ = f"{ENGLISH_COLUMNS} : ({every})", f"{ENGLISH_COLUMNS} : ({any_})"
    return every, any_


def _fts_ids(match: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))


def _sqlite(qs: QuerySet, ideas: list[list[str]], welsh: bool) -> QuerySet:
    every, any_ = _fts_queries(ideas, welsh)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"LIMIT {FEW})",
            [every],
        )
        found = cursor.fetchone()[0]
    enough = found >= FEW
    match = every if enough else any_
    # bm25 is lower for better matches; resources matching every concept come first.
    score = RawSQL(
        f"SELECT -{BM25} + (CASE WHEN resources_resource.id IN (SELECT rowid FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s) THEN 1000 ELSE 0 END) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND rowid = resources_resource.id",
        (every, match),
        output_field=FloatField(),
    )
    column = 5 if welsh else 2  # body_cy or body
    snippet = RawSQL(
        f"SELECT snippet({FTS_TABLE}, {column}, %s, %s, '…', 20) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND rowid = resources_resource.id",
        (MARK_START, MARK_END, match),
    )
    return found, (
        qs.filter(pk__in=_fts_ids(match))
        .annotate(score=score, snippet_text=snippet)
        .order_by("-score", "-published_at", "-pk")
    )


# --- Typos ---------------------------------------------------------------------------


def _vocabulary() -> frozenset[str]:
    """The words of the library's titles and summaries and of the synonyms: what a
    misspelt word is corrected to. Cached for ten minutes."""

    def build():
        words = set()
        # Never words from staff-only guides: a suggestion must not hint at what is hidden.
        for title, summary, title_cy, summary_cy in (
            Resource.objects.live()
            .filter(staff_only=False)
            .values_list("title", "summary", "title_cy", "summary_cy")
        ):
            words.update(_words(f"{title} {summary} {title_cy} {summary_cy}"))
        for term, means in SearchSynonym.objects.values_list("term", "means"):
            words.update(_words(f"{term} {means}"))
        return frozenset(w for w in words if len(w) > 3 and not w.isdigit())

    return cache.get_or_set(VOCABULARY_KEY, build, 600)


def correct(query: str) -> str:
    """The query with each word the library does not know replaced by the closest one it
    does, or "" when there is nothing to correct."""
    vocabulary = _vocabulary()
    changed, out = False, []
    for word in _words(query):
        if len(word) > 3 and word not in vocabulary and word not in STOP_WORDS:
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            if close:
                out.append(close[0])
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else ""


# --- Together ------------------------------------------------------------------------


def _match(qs: QuerySet, query: str, synonyms) -> tuple[int, QuerySet | None]:
    """How many resources (up to FEW) match every concept, and the ranked results."""
    ideas = concepts(query, synonyms)
    if not ideas:
        return 0, None
    welsh = is_welsh()
    if connection.vendor == "postgresql":
        return _postgres(qs, ideas, welsh)
    return _sqlite(qs, ideas, welsh)


def search(qs: QuerySet, query: str, *, best_bets: bool = True) -> Search:
    """Search `qs` (the resources this person may see, already filtered) for `query`."""
    query = normalise_query(query)
    if not query:
        return Search(results=qs, query=query)
    synonyms = list(SearchSynonym.objects.values_list("term", "means", "both_ways"))
    found, results = _match(qs, query, synonyms)
    did_you_mean = ""
    # Asked only when no resource has every word: is there one with any?
    if results is None or (not found and not results.exists()):
        corrected = correct(query)
        if corrected:
            _, retried = _match(qs, corrected, synonyms)
            if retried is not None and retried.exists():
                results, did_you_mean = retried, corrected
    if results is None:
        results = qs.none()
    pinned = []
    if best_bets:
        pinned = [
            bet.resource
            for bet in BestBet.objects.filter(query=query, resource__in=qs.values("pk"))
            .select_related("resource")
            .order_by("order", "pk")
        ]
        if pinned:
            results = results.exclude(pk__in=[r.pk for r in pinned])
    return Search(results=results, query=query, did_you_mean=did_you_mean, best_bets=pinned)


def highlighted(snippet: str | None) -> str:
    """A snippet with its matched words in <mark>, everything else escaped."""
    if not snippet:
        return ""
    snippet = MARKDOWN_LINK.sub(r"\1", snippet)
    snippet = MARKDOWN_MARKS.sub("", snippet)
    text = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(text)  # noqa: S308 - escaped above; only our own markers become tags
