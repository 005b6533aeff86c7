"""Interviews in, trustworthy quotes out: parse -> store -> search. Knows nothing of Telegram."""
