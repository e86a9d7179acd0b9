//! ACR005 private-endpoint-wrong-dns-zone: the zone group binds no registry private link zone.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::{is_zone_of, Cloud, Field, REGISTRY_ZONES};
use crate::source::Span;

pub struct WrongDnsZone;

/// Renaming the zone fixes the finding without changing anything else only when the zone is a
/// misnamed registry zone (`privatelink.westeurope.azurecr.io`), the group's only zone, and no
/// other endpoint uses it (a blob zone serves storage endpoints: renaming it would break them).
fn misnamed_zone(cx: &Ctx, e: usize, expected: &[&'static str]) -> Option<crate::fix::Intent> {
    let [zone] = cx.graph.endpoints[e].zones.as_slice() else {
        return None;
    };
    let (crate::link::Target::InScope(z), [want]) = (&zone.target, expected) else {
        return None;
    };
    let uses: Vec<&crate::link::ZoneUse> = cx
        .graph
        .endpoints
        .iter()
        .flat_map(|l| &l.zones)
        .filter(|u| matches!(u.target, crate::link::Target::InScope(x) if x == *z))
        .collect();
    let named = |n: &str| {
        cx.model
            .zones
            .iter()
            .any(|other| other.name.value().is_some_and(|o| o.eq_ignore_ascii_case(n)))
    };
    let misnamed = zone.name.as_ref().ok()?.to_ascii_lowercase().contains("azurecr");
    if uses.len() != 1 || !misnamed || named(want) {
        return None;
    }
    // The zone group and the VNet links name the zone: by reference, or by repeating its name.
    let mut references: Vec<Span> = uses.iter().map(|u| u.span).collect();
    references.extend(
        cx.graph.zone_links[*z]
            .iter()
            .filter_map(|(l, _)| cx.model.vnet_links[*l].zone.span()),
    );
    let mut fix = cx.fix(
        &cx.model.zones[*z].name,
        &format!("rename the zone to `{want}`"),
        crate::fix::Literal::string(want),
    )?;
    fix.references = references;
    Some(fix)
}

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
            let names = || links.zones.iter().filter_map(|z| z.name.as_ref().ok().copied());
            let has = |zone: &str| names().any(|n| is_zone_of(n, &[zone]));
            let location = &endpoint.location;
            // The zones of the provider's cloud, else of the region's.
            let expected = cx.model.registry_zones_at(location);
            let right = match (&cx.model.cloud, location) {
                // Neither the provider nor the region says the cloud: right only if right in
                // every cloud.
                (Cloud::Deployment | Cloud::Provider | Cloud::Unknown(..), Field::Unknown(..)) => REGISTRY_ZONES.iter().all(|z| has(z)),
                _ => expected.iter().any(|z| has(z)),
            };
            if right {
                continue;
            }
            // The provider's cloud is unknown: so is which registry zone is right.
            if let (Cloud::Unknown(u, span), true) = (&cx.model.cloud, REGISTRY_ZONES.iter().any(|z| has(z))) {
                cx.undetermined(&endpoint.meta, "the cloud of the azurerm provider", u, *span);
                continue;
            }
            // A zone whose name is unknown may be the right one.
            if let Some((u, span)) = links.zones.iter().find_map(|z| z.name.as_ref().err()) {
                cx.undetermined(&endpoint.meta, "the DNS zone of the zone group", u, *span);
                continue;
            }
            // The registry zone of some cloud: right or wrong depending on the endpoint's region.
            if let (false, Field::Unknown(u, span)) = (matches!(cx.model.cloud, Cloud::Set(_)), location) {
                if REGISTRY_ZONES.iter().any(|z| has(z)) {
                    // Where a provider could name the cloud, say how.
                    let what = match cx.model.cloud {
                        Cloud::Provider => "the cloud of the private endpoint (its region, unless the azurerm provider's `environment` or ARM_ENVIRONMENT names the cloud)",
                        _ => "the region of the private endpoint",
                    };
                    cx.undetermined(&endpoint.meta, what, u, *span);
                    continue;
                }
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
            let fix = misnamed_zone(cx, e, expected);
            let report = cx.report(
                &endpoint.meta,
                "private_dns_zone_group.private_dns_zone_ids",
                Label::new(
                    links.zones[0].span,
                    format!("the DNS zone group uses {found}, not the registry private link zone {wanted}: no record for the registry is created where clients look it up"),
                ),
                related,
            );
            if let Some(f) = report {
                f.fix_intent = fix;
            }
        }
    }
}
