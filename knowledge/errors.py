"""Domain errors: each one becomes a single clear line for the user, never a traceback."""


class KnowledgeError(Exception):
    """Base class for every error the knowledge package raises on purpose."""


class UnreadableFile(KnowledgeError):
    """The file cannot be turned into text (missing, empty, binary, too large, undecodable)."""


class NotAnInterview(KnowledgeError):
    """The text was read, but it holds no interview (a notice, a news story, fiction)."""
