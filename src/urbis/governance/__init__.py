"""Governance: statutes, offices and terms, meetings, quorum, decisions and the memorandum."""
