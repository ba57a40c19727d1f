"""KKR Budget og Regnskab: budgets, accounts and population keys for KKR joint secretariats."""

__version__ = "0.1.0"
APP_NAME = "KKR Budget"
APP_TITLE = "KKR Budget og Regnskab"
