//! ACR010 registry-admin-user-enabled.

use super::{Ctx, Rule};

pub struct AdminUser;

impl Rule for AdminUser {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            cx.report_switched_on(
                &r.meta,
                &r.admin_user,
                "admin_user",
                "the admin user",
                "the admin user is enabled: a shared password grants push and pull to anyone who holds it",
            );
        }
    }
}
