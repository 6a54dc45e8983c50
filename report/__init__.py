"""The market report: a self-contained HTML page of charts built from the published warehouse."""
