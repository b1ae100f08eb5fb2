"""The SHACL shapes of scokg (scokg.ttl), installed as package data."""
