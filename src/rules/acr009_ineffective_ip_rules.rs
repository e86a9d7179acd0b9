//! ACR009 registry-ineffective-ip-rules: IP rules under default action Allow do nothing.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::{DefaultAction, Field};

pub struct IneffectiveIpRules;

impl Rule for IneffectiveIpRules {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            let set = match &r.network_rule_set {
                // An unknown rule set may list IP rules under Allow.
                Field::Unknown(u, span) => {
                    cx.undetermined(&r.meta, "the network rule set", u, *span);
                    continue;
                }
                Field::Known(Some(set), _) | Field::Default(Some(set), _) => set,
                _ => continue,
            };
            let rules = match &set.ip_rules {
                // Under Deny, rules take effect whatever they are; otherwise any would restrict nothing.
                Field::Unknown(u, span) => {
                    if set.default_action.value() != Some(&DefaultAction::Deny) {
                        cx.undetermined(&r.meta, "the IP rule list", u, *span);
                    }
                    continue;
                }
                Field::Known(rules, _) | Field::Default(rules, _) if !rules.is_empty() => rules,
                _ => continue,
            };
            match &set.default_action {
                Field::Unknown(u, span) => {
                    cx.undetermined(&r.meta, "the network default action", u, *span)
                }
                Field::Known(DefaultAction::Allow, span) | Field::Default(DefaultAction::Allow, span) => {
                    let how = set.default_action.stated("Allow");
                    let related = rules
                        .iter()
                        .map(|(ip, span)| Label::new(*span, format!("IP rule {ip} has no effect")))
                        .collect();
                    let fix = cx.fix(
                        &set.default_action,
                        "set the network default action to Deny",
                        crate::fix::Literal::string("Deny"),
                    );
                    if let Some(f) = cx.report(
                        &r.meta,
                        "network_rule_set.default_action",
                        Label::new(
                            *span,
                            format!("the network default action {how}, so the {} IP rule(s) restrict nothing", rules.len()),
                        ),
                        related,
                    ) {
                        f.fix_intent = fix;
                    }
                }
                _ => {}
            }
        }
    }
}
