//! ACR003 registry-private-networking-requires-premium: private networking on a non-Premium SKU.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::{DefaultAction, Field, Sku};

pub struct RequiresPremium;

impl Rule for RequiresPremium {
    fn check(&self, cx: &mut Ctx) {
        for (index, r) in cx.model.registries.iter().enumerate() {
            if !r.meta.managed {
                continue;
            }
            if r.sku.value() == Some(&Sku::Premium) {
                continue;
            }
            // Each piece of private-network intent becomes a related location. Unknown blocks
            // (or an endpoint with an unknown target) may hold some: the first is kept.
            let mut intent = Vec::new();
            let mut unknown_intent = cx
                .graph
                .unknown_endpoint()
                .map(|(u, span)| (u, *span, "whether a private endpoint targets the registry"));
            for e in cx.graph.endpoints_of(index) {
                let endpoint = &cx.model.endpoints[e];
                intent.push(Label::new(
                    endpoint.meta.header,
                    format!("private endpoint {} targets this registry", endpoint.meta.addr),
                ));
            }
            match &r.public_network_access {
                Field::Known(false, span) => {
                    intent.push(Label::new(*span, "public network access is disabled"))
                }
                Field::Unknown(u, span) => {
                    unknown_intent.get_or_insert((u, *span, "public network access"));
                }
                _ => {}
            }
            match &r.network_rule_set {
                Field::Unknown(u, span) => {
                    unknown_intent.get_or_insert((u, *span, "the network rule set"));
                }
                Field::Known(Some(set), _) | Field::Default(Some(set), _) => {
                    match &set.default_action {
                        Field::Known(DefaultAction::Deny, span) => intent.push(Label::new(
                            *span,
                            "the network rule set denies by default",
                        )),
                        Field::Unknown(u, span) => {
                            unknown_intent.get_or_insert((u, *span, "the network default action"));
                        }
                        _ => {}
                    }
                    match &set.ip_rules {
                        Field::Unknown(u, span) => {
                            unknown_intent.get_or_insert((u, *span, "the IP rule list"));
                        }
                        rules => {
                            if let Some((_, span)) = rules.value().and_then(|r| r.first()) {
                                intent.push(Label::new(*span, "IP rules are set"));
                            }
                        }
                    }
                }
                _ => {}
            }
            match &r.data_endpoint {
                Field::Known(true, span) => {
                    intent.push(Label::new(*span, "dedicated data endpoints are enabled"))
                }
                Field::Unknown(u, span) => {
                    unknown_intent.get_or_insert((u, *span, "the data endpoint setting"));
                }
                _ => {}
            }
            match &r.export_enabled {
                Field::Known(false, span) => intent.push(Label::new(*span, "export is disabled")),
                Field::Unknown(u, span) => {
                    unknown_intent.get_or_insert((u, *span, "the export policy"));
                }
                _ => {}
            }
            if intent.is_empty() {
                if let Some((u, span, what)) = unknown_intent {
                    cx.undetermined(&r.meta, what, u, span);
                }
                continue;
            }
            let sku = match &r.sku {
                Field::Known(sku, _) | Field::Default(sku, _) => sku,
                Field::Unknown(u, span) => {
                    cx.undetermined(&r.meta, "the SKU", u, *span);
                    continue;
                }
            };
            cx.report(
                &r.meta,
                "sku",
                Label::new(
                    r.sku.span(),
                    format!(
                        "SKU {} does not support private networking, but this configuration relies on it: private endpoints, disabling public access, network rules, data endpoints and export policy need Premium",
                        sku.name()
                    ),
                ),
                intent,
            );
        }
    }
}
