"""Small async handlers, one module per kind of update; ``bot.app`` registers them all."""
