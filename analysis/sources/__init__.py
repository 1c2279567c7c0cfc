"""Readers of input formats: each validates one format and loads staging tables plus meta.rejects."""
