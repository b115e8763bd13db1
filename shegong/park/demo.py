def build(world) -> None:
    return None
