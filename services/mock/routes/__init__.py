"""The mock's HTTP routes, one blueprint per job."""
