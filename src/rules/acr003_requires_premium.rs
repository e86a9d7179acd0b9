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
            // Each piece of private-network intent becomes a related location.
            let mut intent = Vec::new();
            for e in cx.graph.endpoints_of(index) {
                let endpoint = &cx.model.endpoints[e];
                intent.push(Label::new(
                    endpoint.meta.header,
                    format!("private endpoint {} targets this registry", endpoint.meta.addr),
                ));
            }
            if let Field::Known(false, span) = r.public_network_access {
                intent.push(Label::new(span, "public network access is disabled"));
            }
            if let Some(Some(set)) = r.network_rule_set.value() {
                if let Field::Known(DefaultAction::Deny, span) = set.default_action {
                    intent.push(Label::new(span, "the network rule set denies by default"));
                }
                if let Some(rules) = set.ip_rules.value() {
                    if let Some((_, span)) = rules.first() {
                        intent.push(Label::new(*span, "IP rules are set"));
                    }
                }
            }
            if let Field::Known(true, span) = r.data_endpoint {
                intent.push(Label::new(span, "dedicated data endpoints are enabled"));
            }
            if let Field::Known(false, span) = r.export_enabled {
                intent.push(Label::new(span, "export is disabled"));
            }
            if intent.is_empty() {
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
