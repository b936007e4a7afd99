"""Demo data loaders, run in this order by `urbis load-demo`.

Each module exposes `load(ctx: LoadContext) -> str` (a one-line summary) and raises
`DataErrors` listing every bad row. All loaders run in one transaction: a bad file writes
nothing. Loading twice changes nothing (every loader upserts by a natural key).
"""

LOADERS: list[str] = [
    "urbis.demo.loaders.common",  # regions and the country → region mapping
    "urbis.demo.loaders.members",  # the registry of the 6th GA data set
    "urbis.demo.loaders.events",  # programme, registrations, check-ins (after members)
    "urbis.demo.loaders.governance",  # statutes, offices, meetings (after members)
    "urbis.demo.loaders.dues",  # dues and participation history (illustrative), by name
    "urbis.demo.loaders.index",  # the smart-city index 2023 (synthetic survey data)
    "urbis.demo.loaders.prize",  # the 2023 prize edition: finalists, awards (synthetic scores)
]
