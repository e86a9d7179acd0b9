//! Discovery: walk the given paths, classify files, and group them into scopes.
