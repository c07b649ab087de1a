"""The Inside a Conv Layer page: its picture grids, weight tables and legends."""
