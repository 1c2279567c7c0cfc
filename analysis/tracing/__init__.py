"""Tracing metal from mine to buyer: origin attribution over the trade matrix and multi-tier propagation."""
