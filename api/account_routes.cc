// Filled in by the route work for issue 3.
