"""The Telegram front end: thin handlers over the knowledge package."""
