//! ACR003 registry-private-networking-requires-premium: private networking on a non-Premium SKU.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::fix::Literal;
use crate::model::{DefaultAction, Field, Sku};
use crate::source::Span;
use crate::value::Unknown;

pub struct RequiresPremium;

/// The registry's private-network intent: each piece a related location; of the settings that
/// are unknown (and may hold some), the first.
#[derive(Default)]
struct Intent<'m> {
    labels: Vec<Label>,
    unknown: Option<(&'m Unknown, Span, &'static str)>,
}

impl<'m> Intent<'m> {
    fn unknown(&mut self, u: &'m Unknown, span: Span, what: &'static str) {
        self.unknown.get_or_insert((u, span, what));
    }

    /// A setting that shows intent when it is `value`.
    fn setting(&mut self, field: &'m Field<bool>, value: bool, label: &str, what: &'static str) {
        match field {
            Field::Known(v, span) if *v == value => self.labels.push(Label::new(*span, label)),
            Field::Unknown(u, span) => self.unknown(u, *span, what),
            _ => {}
        }
    }
}

impl Rule for RequiresPremium {
    fn check(&self, cx: &mut Ctx) {
        for (index, r) in cx.model.registries.iter().enumerate() {
            if !r.meta.managed {
                continue;
            }
            if r.sku.value() == Some(&Sku::Premium) {
                continue;
            }
            let mut intent = Intent::default();
            if let Some((u, span)) = cx.graph.unknown_endpoint() {
                intent.unknown(u, *span, "whether a private endpoint targets the registry");
            }
            for e in cx.graph.endpoints_of(index) {
                let endpoint = &cx.model.endpoints[e];
                intent.labels.push(Label::new(
                    endpoint.meta.header,
                    format!("private endpoint {} targets this registry", endpoint.meta.addr),
                ));
            }
            intent.setting(
                &r.public_network_access,
                false,
                "public network access is disabled",
                "public network access",
            );
            match &r.network_rule_set {
                Field::Unknown(u, span) => intent.unknown(u, *span, "the network rule set"),
                Field::Known(Some(set), _) | Field::Default(Some(set), _) => {
                    match &set.default_action {
                        Field::Known(DefaultAction::Deny, span) => intent.labels.push(Label::new(
                            *span,
                            "the network rule set denies by default",
                        )),
                        Field::Unknown(u, span) => {
                            intent.unknown(u, *span, "the network default action")
                        }
                        _ => {}
                    }
                    match &set.ip_rules {
                        Field::Unknown(u, span) => intent.unknown(u, *span, "the IP rule list"),
                        rules => {
                            if let Some((_, span)) = rules.value().and_then(|r| r.first()) {
                                intent.labels.push(Label::new(*span, "IP rules are set"));
                            }
                        }
                    }
                }
                _ => {}
            }
            intent.setting(
                &r.data_endpoint,
                true,
                "dedicated data endpoints are enabled",
                "the data endpoint setting",
            );
            intent.setting(
                &r.export_enabled,
                false,
                "export is disabled",
                "the export policy",
            );
            if intent.labels.is_empty() {
                if let Some((u, span, what)) = intent.unknown {
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
            let fix = cx.fix(&r.sku, "use the Premium SKU", Literal::string("Premium"));
            let report = cx.report(
                &r.meta,
                "sku",
                Label::new(
                    r.sku.span(),
                    format!(
                        "SKU {} does not support private networking, but this configuration relies on it: private endpoints, disabling public access, network rules, data endpoints and export policy need Premium",
                        sku.name()
                    ),
                ),
                intent.labels,
            );
            if let Some(f) = report {
                f.fix_intent = fix;
            }
        }
    }
}
