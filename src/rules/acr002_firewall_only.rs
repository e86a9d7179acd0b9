//! ACR002 registry-public-access-firewall-only: public endpoint restricted by IP rules only.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::{DefaultAction, Field};

pub struct FirewallOnly;

impl Rule for FirewallOnly {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            let set = match &r.network_rule_set {
                // An unknown rule set may deny by default, leaving only the firewall.
                Field::Unknown(u, span) => {
                    if r.public_network_access.value() != Some(&false) {
                        cx.undetermined(&r.meta, "the network rule set", u, *span);
                    }
                    continue;
                }
                Field::Known(Some(set), _) | Field::Default(Some(set), _) => set,
                _ => continue,
            };
            match &set.default_action {
                // An unknown default action may be Deny.
                Field::Unknown(u, span) => {
                    if r.public_network_access.value() != Some(&false) {
                        cx.undetermined(&r.meta, "the network default action", u, *span);
                    }
                    continue;
                }
                action if action.value() != Some(&DefaultAction::Deny) => continue,
                _ => {}
            }
            match &r.public_network_access {
                Field::Unknown(u, span) => cx.undetermined(&r.meta, "public network access", u, *span),
                Field::Known(true, span) | Field::Default(true, span) => {
                    let how = r.public_network_access.stated("enabled");
                    // Who reaches it: the allowed IP ranges, when the rule set has any.
                    let exposed = match &set.ip_rules {
                        Field::Known(rules, _) | Field::Default(rules, _) if rules.is_empty() => {
                            "the public endpoint stays up, open to trusted Azure services and to any IP rule added later"
                        }
                        _ => "the public endpoint stays exposed to the allowed IP ranges and to trusted Azure services",
                    };
                    let fix = super::acr001_public_network_access::disable_public_access(cx, r);
                    if let Some(f) = cx.report(
                        &r.meta,
                        "public_network_access",
                        Label::new(
                            *span,
                            format!("public network access {how}, restricted only by the firewall: {exposed}"),
                        ),
                        vec![Label::new(set.default_action.span(), "the default action is Deny")],
                    ) {
                        f.fix_intent = fix;
                    }
                }
                _ => {}
            }
        }
    }
}
