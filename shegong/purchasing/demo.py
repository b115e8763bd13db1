def build(world):
    return None
