"""Pure rules with no storage: statuses, the compliance rate, working days, credit codes,
the random draw and the progress protocol."""
