"""The Korean catalogue: every module of this package holds ``MESSAGES`` (English template -> Korean), one module
per part of the helpers (``exercises``, ``widgets``, ``messages``) and one per notebook for its claim lines
(``claims_05`` ...); ``tl_helpers.i18n.catalogue("ko")`` merges them."""
MESSAGES: dict[str, str] = {}
