//! Azure resource ids: parse `/subscriptions/…/providers/Ns/type/name/…` into type and names.
