"""Building the DuckDB warehouse: the declared steps, their runner and the meta records."""
