"""Hub links of the user's own network: hub → hub, with the share of the upstream hub's throughput."""

from .trade_network import csv_format

FORMAT = csv_format(
    "trade_hub_links",
    "Hub-to-hub legs down the chain, with the share of the upstream hub's throughput, CSV",
    {"from_hub_id", "to_hub_id"},
    "from_hub_id, to_hub_id (ids or names); optional share (0-1), assumed, source_ref",
    "minrisk ingest hub_links.csv",
)
