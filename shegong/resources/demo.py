def build(world) -> None:
    pass
