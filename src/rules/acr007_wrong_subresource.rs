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
            for (c, is_registry) in connections.iter().zip(&links.connection_is_registry) {
                if !is_registry {
                    continue;
                }
                let message = match &c.subresources {
                    Field::Unknown(u, span) => {
                        cx.undetermined(&endpoint.meta, "the subresource", u, *span);
                        continue;
                    }
                    Field::Known(names, _) if names.len() == 1 && names[0].eq_ignore_ascii_case("registry") => continue,
                    Field::Known(names, _) if !names.is_empty() => format!(
                        "the private endpoint targets a container registry with subresource(s) {}, but a registry endpoint needs exactly [\"registry\"]",
                        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                    ),
                    _ => "the private endpoint targets a container registry without a subresource; a registry endpoint needs exactly [\"registry\"]".to_string(),
                };
                cx.report(
                    &endpoint.meta,
                    "private_service_connection.subresource_names",
                    Label::new(c.subresources.span(), message),
                    cx.target_registry_label(e).into_iter().collect(),
                );
            }
        }
    }
}
