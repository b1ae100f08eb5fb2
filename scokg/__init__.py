"""scokg: a knowledge graph of the diplomatic texts of the Shanghai Cooperation Organisation.

The code is split by what the data is at each step:

* ``scokg.extract`` - text to facts (sentences, entities, relations, dates);
* ``scokg.graph`` - facts to RDF, OWL RL reasoning, SHACL validation and the Oxigraph store;
* ``scokg.server`` - the store over HTTP (SPARQL 1.1 Protocol, dumps, Linked Data pages).
"""

__version__ = "0.1.0"
