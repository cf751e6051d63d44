"""Cross-cutting pieces every app uses: the change history and shared helpers."""
