"""Demo data of talent (filled below)."""


def build(world) -> None:
    return None
