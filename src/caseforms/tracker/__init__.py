"""The recommendations and actions tracker: BRAG ratings, SMART checks, escalations, the LIG paper."""
