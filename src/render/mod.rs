//! Renderers: one per output format, over the same report.
