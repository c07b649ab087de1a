"""The Stride and Padding page: the HTML players (grid, 1-D signal, channels), typed grids, small callbacks."""
