//! ACR011 registry-anonymous-pull-enabled.

use super::{Ctx, Rule};

pub struct AnonymousPull;

impl Rule for AnonymousPull {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            cx.report_switched_on(
                &r.meta,
                &r.anonymous_pull,
                "anonymous_pull",
                "anonymous pull",
                "anonymous pull is enabled: anyone who can reach the registry can pull every repository without credentials",
            );
        }
    }
}
