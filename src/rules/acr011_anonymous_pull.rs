//! ACR011 registry-anonymous-pull-enabled.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::Field;

pub struct AnonymousPull;

impl Rule for AnonymousPull {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            match &r.anonymous_pull {
                Field::Known(true, span) => cx.report(
                    &r.meta,
                    "anonymous_pull",
                    Label::new(*span, "anonymous pull is enabled: anyone who can reach the registry can pull every repository without credentials"),
                    Vec::new(),
                ),
                Field::Unknown(u, span) => cx.undetermined(&r.meta, "the anonymous pull setting", u, *span),
                _ => {}
            }
        }
    }
}
