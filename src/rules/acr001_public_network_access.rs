//! ACR001 registry-public-network-access: the registry is open to all networks.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::fix::{Literal, Setting};
use crate::model::{DefaultAction, Field, Registry};

/// The fix that turns public network access off (`false` in Terraform, `'Disabled'` in ARM and
/// Bicep), where it is written or, absent, added.
pub(super) fn disable_public_access(cx: &Ctx, r: &Registry) -> Option<crate::fix::Intent> {
    cx.fix_setting(
        &r.public_network_access,
        "disable public network access",
        Literal::either(false, "Disabled"),
        Setting::PublicNetworkAccessOff,
    )
}

pub struct PublicNetworkAccess;

impl Rule for PublicNetworkAccess {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            match &r.public_network_access {
                Field::Unknown(u, span) => {
                    cx.undetermined(&r.meta, "public network access", u, *span);
                    continue;
                }
                Field::Known(false, _) | Field::Default(false, _) => continue,
                _ => {}
            }
            let action = match &r.network_rule_set {
                Field::Unknown(u, span) => {
                    cx.undetermined(&r.meta, "the network rule set", u, *span);
                    continue;
                }
                Field::Known(None, _) | Field::Default(None, _) => None,
                Field::Known(Some(set), _) | Field::Default(Some(set), _) => {
                    match &set.default_action {
                        Field::Unknown(u, span) => {
                            cx.undetermined(&r.meta, "the network default action", u, *span);
                            continue;
                        }
                        f => f.value().copied(),
                    }
                }
            };
            if action == Some(DefaultAction::Deny) {
                continue;
            }
            let rules = match action {
                None => "no network rule set restricts it",
                Some(_) => "the network rules allow all traffic by default",
            };
            let message = format!(
                "public network access {} and {rules}: the registry is reachable from every network",
                r.public_network_access.stated("enabled")
            );
            let mut related = Vec::new();
            if let Field::Known(Some(set), _) = &r.network_rule_set {
                related.push(Label::new(set.default_action.span(), "the default action is Allow"));
            }
            let fix = disable_public_access(cx, r);
            if let Some(f) = cx.report(
                &r.meta,
                "public_network_access",
                Label::new(r.public_network_access.span(), message),
                related,
            ) {
                f.fix_intent = fix;
            }
        }
    }
}
