"""Community Planning Platform: the Django project (settings, URLs, command line) and its apps."""
