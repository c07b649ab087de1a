"""What every page shares: translation, session and widget keys, links, select widgets, messages, formulas,
predict-then-reveal, small HTML number tables, the photo every page works on, the click-to-pick chart."""
