"""caseforms: the case register, chronologies, deadlines and papers of a Safeguarding Children Partnership."""

__version__ = "0.1.0"
