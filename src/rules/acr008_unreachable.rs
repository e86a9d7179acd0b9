//! ACR008 registry-unreachable-without-private-endpoint.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::Field;

pub struct Unreachable;

impl Rule for Unreachable {
    fn check(&self, cx: &mut Ctx) {
        for (i, r) in cx.model.registries.iter().enumerate() {
            if !r.meta.managed {
                continue;
            }
            match &r.public_network_access {
                Field::Known(false, _) => {}
                Field::Unknown(u, span) => {
                    if cx.graph.endpoints_of(i).next().is_none() {
                        cx.undetermined(&r.meta, "public network access", u, *span);
                    }
                    continue;
                }
                _ => continue,
            }
            if cx.graph.endpoints_of(i).next().is_some() {
                continue;
            }
            if let Some((u, span)) = cx.graph.unknown_endpoint() {
                cx.undetermined(&r.meta, "whether a private endpoint targets the registry", u, *span);
                continue;
            }
            // A module or deployment that is not read and receives the registry may create its
            // endpoint (AVM's private endpoint module given `registry.id`).
            if let Some(n) = cx.model.unread_receiving(&r.meta, &r.name) {
                cx.undetermined(&r.meta, "whether a module or deployment that acrlint cannot read creates a private endpoint for the registry", &n.unknown, n.span);
                continue;
            }
            cx.report(
                &r.meta,
                "",
                Label::new(r.meta.header, "public network access is disabled and no private endpoint in this configuration targets the registry: it is unreachable unless an endpoint is created in another configuration"),
                vec![Label::new(r.public_network_access.span(), "public network access is disabled here")],
            );
        }
    }
}
