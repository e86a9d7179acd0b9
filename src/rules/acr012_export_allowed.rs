//! ACR012 registry-export-allowed: a network-closed registry that still allows export.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::Field;

pub struct ExportAllowed;

impl Rule for ExportAllowed {
    fn check(&self, cx: &mut Ctx) {
        for r in cx.model.registries.iter().filter(|r| r.meta.managed) {
            match &r.public_network_access {
                Field::Known(false, _) => {}
                Field::Unknown(u, span) if r.export_enabled.value() != Some(&false) => {
                    cx.undetermined(&r.meta, "public network access", u, *span);
                    continue;
                }
                _ => continue,
            }
            match &r.export_enabled {
                Field::Unknown(u, span) => cx.undetermined(&r.meta, "the export policy", u, *span),
                Field::Known(true, span) | Field::Default(true, span) => {
                    let how = r.export_enabled.stated("enabled");
                    let fix = cx.fix_setting(
                        &r.export_enabled,
                        "disable export",
                        crate::fix::Literal::either(false, "disabled"),
                        crate::fix::Setting::ExportOff,
                    );
                    let report = cx.report(
                        &r.meta,
                        "export_policy",
                        Label::new(
                            *span,
                            format!("public network access is disabled but export {how}: images can still be copied out of the network boundary"),
                        ),
                        vec![Label::new(r.public_network_access.span(), "public network access is disabled here")],
                    );
                    if let Some(f) = report {
                        f.fix_intent = fix;
                    }
                }
                _ => {}
            }
        }
    }
}
