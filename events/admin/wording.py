"""How the admin's messages count things."""


def people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
