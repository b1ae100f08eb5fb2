"""The bundled sample corpus: the default input of `scokg build`."""
