"""Prices: offerings, rates, price book items (see DESIGN.md, App `pricing`); not built yet."""
