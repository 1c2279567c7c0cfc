"""Structured events proposed from news articles (issue 7): dates, places, actors, types, extraction.
Pure functions over text and reference CSVs; the warehouse adapter is analysis/sources/news.py."""
