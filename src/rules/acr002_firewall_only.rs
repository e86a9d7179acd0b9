//! ACR002 registry-public-access-firewall-only: public endpoint restricted by IP rules only.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::{DefaultAction, Field};

pub struct FirewallOnly;

impl Rule for FirewallOnly {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            let Some(Some(set)) = r.network_rule_set.value() else {
                continue;
            };
            if set.default_action.value() != Some(&DefaultAction::Deny) {
                continue;
            }
            match &r.public_network_access {
                Field::Unknown(u, span) => cx.undetermined(&r.meta, "public network access", u, *span),
                Field::Known(true, span) | Field::Default(true, span) => {
                    let how = r.public_network_access.stated("enabled");
                    cx.report(
                        &r.meta,
                        "public_network_access",
                        Label::new(
                            *span,
                            format!("public network access {how}, restricted only by the firewall: the public endpoint stays exposed to the allowed IP ranges and to trusted Azure services"),
                        ),
                        vec![Label::new(set.default_action.span(), "the default action is Deny")],
                    );
                }
                _ => {}
            }
        }
    }
}
