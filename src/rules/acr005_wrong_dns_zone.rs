//! ACR005 private-endpoint-wrong-dns-zone: the zone group binds no registry private link zone.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::link::Target;
use crate::model::registry_zones_for;

pub struct WrongDnsZone;

impl Rule for WrongDnsZone {
    fn check(&self, cx: &mut Ctx) {
        for (e, endpoint) in cx.model.endpoints.iter().enumerate() {
            let links = &cx.graph.endpoints[e];
            if !endpoint.meta.managed || links.zones.is_empty() {
                continue;
            }
            // An endpoint that may be a registry one is judged too; a finding is undetermined.
            let maybe_registry = match (links.is_registry_endpoint, &links.maybe_registry) {
                (true, _) => None,
                (false, Some((u, span))) => Some((u, *span)),
                (false, None) => continue,
            };
            // Unknown zone ids (or zone groups) give no finding.
            if links.zones.iter().any(|z| z.name.is_none()) {
                if let Some((u, span)) = links.zones.iter().find_map(|z| match &z.target {
                    Target::Unknown(u, span) => Some((u, *span)),
                    _ => None,
                }) {
                    cx.undetermined(&endpoint.meta, "the DNS zone of the zone group", u, span);
                }
                continue;
            }
            let names = || links.zones.iter().filter_map(|z| z.name);
            let expected = registry_zones_for(endpoint.location.value().map(|l| l.as_ref()));
            if names().any(|n| expected.iter().any(|x| x.eq_ignore_ascii_case(n))) {
                continue;
            }
            if let Some((u, span)) = maybe_registry {
                cx.undetermined(&endpoint.meta, "whether the endpoint targets a registry", u, span);
                continue;
            }
            let found = names().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let wanted = expected.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ");
            let mut related = vec![Label::new(endpoint.meta.header, format!("private endpoint {}", endpoint.meta.addr))];
            related.extend(links.zones.iter().skip(1).map(|z| Label::new(z.span, "another zone of the group")));
            related.extend(cx.target_registry_label(e));
            cx.report(
                &endpoint.meta,
                "private_dns_zone_group.private_dns_zone_ids",
                Label::new(
                    links.zones[0].span,
                    format!("the DNS zone group uses {found}, not the registry private link zone {wanted}: no record for the registry is created where clients look it up"),
                ),
                related,
            );
        }
    }
}
