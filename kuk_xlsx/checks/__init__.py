"""checks: the rule catalogue and the checks that turn a PlanData into findings."""
