//! ACR010 registry-admin-user-enabled.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::Field;

pub struct AdminUser;

impl Rule for AdminUser {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            match &r.admin_user {
                Field::Known(true, span) => cx.report(
                    &r.meta,
                    "admin_user",
                    Label::new(*span, "the admin user is enabled: a shared password grants push and pull to anyone who holds it"),
                    Vec::new(),
                ),
                Field::Unknown(u, span) => cx.undetermined(&r.meta, "the admin user setting", u, *span),
                _ => {}
            }
        }
    }
}
