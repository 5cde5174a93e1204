"""One spaCy component per field; importing a module registers its factory."""
