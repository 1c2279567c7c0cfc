"""Trade hubs of the user's own network (docs/formats/trade_network.md)."""

from .trade_network import csv_format

FORMAT = csv_format(
    "trade_hubs",
    "Trade hubs of your own network (trading centres, border posts, airports, ports, smelter towns), CSV",
    {"hub_id", "name", "kind", "lat", "lon"},
    "hub_id, name, kind, country_iso3, lat, lon; optional coords_approx, source_ref",
    "minrisk ingest hubs.csv",
)
