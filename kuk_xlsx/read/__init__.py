"""read: a returned workbook, located by defined names and headers, typed into a PlanData."""
