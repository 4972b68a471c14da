"""What the person sees: the article view and its painting, the palette, the panels, the status bar."""
