"""Search: one SearchRequest -> ranked SearchResults (text, geo, filters, eligibility).

The engine lives in query.py; the full-text backend behind its interface in backend.py
(Whoosh, index.py); places and distances in geo.py; lay-term synonyms in synonyms.py.
"""

from app.search.query import SearchError, SearchRequest, SearchResult, SearchResults, search

__all__ = ["SearchError", "SearchRequest", "SearchResult", "SearchResults", "search"]
