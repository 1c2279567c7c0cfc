"""Routes of the user's own network: mine site → first hub, with the share of the site's output."""

from .trade_network import csv_format

FORMAT = csv_format(
    "trade_routes",
    "Routes from mine sites to their first hubs, with the share of each site's output, CSV",
    {"site_id", "hub_id"},
    "site_id (id or name), hub_id (id or name); optional share (0-1), assumed, source_ref",
    "minrisk ingest routes.csv",
)
