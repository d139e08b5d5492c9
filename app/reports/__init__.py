"""Network measures (results-based accountability), provider scorecards, data freshness."""
