"""The OWL ontology of scokg (scokg.ttl), installed as package data."""
