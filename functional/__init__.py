"""Our own hate-speech functional test suite (the HateCheck method), French and English."""
