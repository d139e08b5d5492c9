"""Residency restrictions for people on a sex-offense registry: restricted sites (schools,
child-care centers, parks, playgrounds), the rules that bar living near them, and the verdict
for a housing location. Staff only; never on public pages, in the index or in provider APIs."""
