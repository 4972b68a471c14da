"""Turn what the person does into core calls: keys and clicks, the undo stack, menus' commands,
background jobs."""
