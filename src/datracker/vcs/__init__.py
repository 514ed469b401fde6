"""Git: the one module that runs it, the plan at a revision, history and the pull-request check."""
