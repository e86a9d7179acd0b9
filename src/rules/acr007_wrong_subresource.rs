//! ACR007 private-endpoint-wrong-subresource: a registry endpoint must use group `registry`.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::Field;

pub struct WrongSubresource;

impl Rule for WrongSubresource {
    fn check(&self, cx: &mut Ctx) {
        for (e, endpoint) in cx.model.endpoints.iter().enumerate() {
            if !endpoint.meta.managed {
                continue;
            }
            let connections = match &endpoint.connections {
                // Which resource they target, and with which subresources, is not known.
                Field::Unknown(u, span) => {
                    cx.undetermined(&endpoint.meta, "the private service connection list", u, *span);
                    continue;
                }
                Field::Known(list, _) | Field::Default(list, _) => list,
            };
            let links = &cx.graph.endpoints[e];
            for (c, connection) in connections.iter().enumerate() {
                // A connection whose target is unknown is judged as a registry one when its
                // subresources name the registry (or are unknown); a finding is undetermined.
                let unknown_target = links.connection_unknown.get(c).and_then(Option::as_ref).filter(|_| match &connection.subresources {
                    Field::Unknown(..) => true,
                    names => names.value().is_some_and(|n| n.iter().any(|g| g.to_ascii_lowercase().contains("registry"))),
                });
                if !links.connection_is_registry.get(c).copied().unwrap_or(false) && unknown_target.is_none() {
                    continue;
                }
                let c = connection;
                let message = match &c.subresources {
                    Field::Unknown(u, span) => {
                        let (u, span) = unknown_target.map_or((u, *span), |(t, s)| (t, *s));
                        let what = if unknown_target.is_some() { "the target of the private service connection" } else { "the subresource" };
                        cx.undetermined(&endpoint.meta, what, u, span);
                        continue;
                    }
                    Field::Known(names, _) if names.len() == 1 && names[0].eq_ignore_ascii_case("registry") => continue,
                    Field::Known(names, _) if !names.is_empty() => format!(
                        "the private endpoint targets a container registry with subresource(s) {}, but a registry endpoint needs exactly [\"registry\"]",
                        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                    ),
                    _ => "the private endpoint targets a container registry without a subresource; a registry endpoint needs exactly [\"registry\"]".to_string(),
                };
                if let Some((u, span)) = unknown_target {
                    cx.undetermined(&endpoint.meta, "the target of the private service connection", u, *span);
                    continue;
                }
                let fix = cx.fix(
                    &c.subresources,
                    "target the `registry` subresource",
                    crate::fix::Literal::list(&["registry"]),
                );
                let related = cx.target_registry_label(e).into_iter().collect();
                if let Some(f) = cx.report(
                    &endpoint.meta,
                    "private_service_connection.subresource_names",
                    Label::new(c.subresources.span(), message),
                    related,
                ) {
                    f.fix_intent = fix;
                }
            }
        }
    }
}
