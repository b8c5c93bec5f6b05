"""Column sizes shared by the pricing models."""

MONEY = {"max_digits": 18, "decimal_places": 6}
UNITS = {"max_digits": 18, "decimal_places": 4}
