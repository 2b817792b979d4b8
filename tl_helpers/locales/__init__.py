"""Message catalogues, one package per language (``ko/``): see ``tl_helpers/i18n.py``."""
