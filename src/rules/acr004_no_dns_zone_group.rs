//! ACR004 private-endpoint-without-dns-zone-group: nothing publishes the endpoint's private IPs.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::model::{is_registry_zone, Field};
use crate::source::Span;
use crate::symbolic::is_symbolic;
use crate::value::Unknown;

pub struct NoDnsZoneGroup;

/// The zone group to add: binding the one registry private link zone in scope for the
/// endpoint's cloud (the fix writes it where the syntax and the two resources allow).
fn zone_group_fix(cx: &Ctx, e: usize) -> Option<crate::fix::Intent> {
    if !cx.fixes() {
        return None;
    }
    let endpoint = &cx.model.endpoints[e];
    let wanted = cx.model.registry_zones_at(&endpoint.location);
    let mut zones = cx.model.zones.iter().filter(|z| {
        z.name
            .value()
            .is_some_and(|n| crate::model::is_zone_of(n, wanted))
    });
    let (Some(zone), None) = (zones.next(), zones.next()) else {
        return None;
    };
    cx.fix_add(
        endpoint.meta.header,
        &format!("add a DNS zone group for `{}`", zone.meta.addr),
        crate::fix::Setting::ZoneGroup {
            zone: cx.declared(&zone.meta),
            endpoint: cx.declared(&endpoint.meta),
        },
    )
}

impl Rule for NoDnsZoneGroup {
    fn check(&self, cx: &mut Ctx) {
        let model = cx.model;
        // Manual records in a registry private link zone in scope, by relative name. A record
        // whose name or zone is unknown, or that is in a zone whose name is unknown, may be any
        // record of a registry zone: each such is kept, with why, and the endpoint it is made
        // from when it is one's own.
        let mut records_written: Vec<(&str, Span)> = Vec::new();
        let mut maybe_records: Vec<(Option<usize>, &Unknown, Span)> = Vec::new();
        // Records named by an input nobody gave (`acr.name`, with the registry's name an input):
        // known for the registry that input names, unknown for any other.
        let mut input_records: Vec<(&str, Span, &Unknown, Span)> = Vec::new();
        let mut in_registry_zones: Vec<usize> = Vec::new();
        for (z, zone) in model.zones.iter().enumerate() {
            let in_zone = &cx.graph.zone_records[z];
            match &zone.name {
                Field::Unknown(u, span) if !in_zone.is_empty() => {
                    maybe_records.push((None, u, *span));
                    continue;
                }
                name if name.value().is_some_and(|n| is_registry_zone(n)) => {}
                _ => continue,
            }
            in_registry_zones.extend(in_zone);
        }
        // Records written by name or id into a registry zone that is not in the model (a hub's
        // zone): the zone is there, as a zone group's external zone is.
        in_registry_zones.extend(
            (cx.graph.external_zone_records.iter())
                .filter(|(_, zone)| is_registry_zone(zone))
                .map(|&(a, _)| a),
        );
        for a in in_registry_zones {
            let rec = &model.a_records[a];
            match &rec.name {
                Field::Unknown(u, span) => match crate::model::named(&rec.name) {
                    Some(id) => input_records.push((id, rec.meta.header, u, *span)),
                    None => maybe_records.push((cx.graph.record_endpoints[a], u, *span)),
                },
                name => records_written.extend(name.value().map(|n| (n.as_ref(), rec.meta.header))),
            }
        }
        if let Some(&(a, ref u, span)) = cx.graph.unknown_zone_records.first() {
            maybe_records.push((cx.graph.record_endpoints[a], u, span));
        }
        for (e, endpoint) in model.endpoints.iter().enumerate() {
            let links = &cx.graph.endpoints[e];
            if !endpoint.meta.managed {
                continue;
            }
            // A zone group publishes the records; unknown zone groups may be none.
            let groups_unknown = match &endpoint.zone_groups {
                Field::Unknown(u, span) => Some((u, *span)),
                Field::Known(groups, _) | Field::Default(groups, _) if groups.is_empty() => None,
                _ => continue,
            };
            if !links.is_registry_endpoint {
                // Without a zone group, a registry endpoint would be broken: not knowing whether
                // it is one is not knowing whether it is broken.
                if let Some((u, span)) = &links.maybe_registry {
                    cx.undetermined(&endpoint.meta, "whether the endpoint targets a registry", u, *span);
                }
                continue;
            }
            let registry = links.registry.map(|i| &model.registries[i]);
            // A registry named by an input nobody gave: the records named by that input are its
            // own (`acr.name`, `"${acr.name}.westeurope.data"`); any other record, written in
            // full or named by another input, may be one of them too.
            let by_input = registry.and_then(|r| match &r.name {
                Field::Unknown(u, span) if crate::model::named(&r.name).is_some() => {
                    Some((u, *span))
                }
                _ => None,
            });
            let own = |id: &str| {
                let n = links.registry_name.as_deref().unwrap_or_default();
                by_input.is_some()
                    && id.get(..n.len()).is_some_and(|head| head.eq_ignore_ascii_case(n))
                    && matches!(id.get(n.len()..), Some(rest) if rest.is_empty() || rest.starts_with('.'))
            };
            let mut records = if by_input.is_some() { Vec::new() } else { records_written.clone() };
            records.extend(input_records.iter().filter(|r| own(r.0)).map(|r| (r.0, r.1)));
            // The record that may be the missing one: first one made from this endpoint itself,
            // which is where to look.
            let maybe_record = (maybe_records.iter())
                .find(|(owner, ..)| *owner == Some(e))
                .or(maybe_records.first())
                .map(|&(_, u, span)| (u, span));
            let mut maybe_record = maybe_record.or_else(|| {
                (input_records.iter().find(|r| !own(r.0))).map(|r| (r.2, r.3))
            });
            if by_input.is_some() && !records_written.is_empty() {
                maybe_record = maybe_record.or(by_input);
            }
            let location = registry.and_then(|r| r.location.value()).map(|l| l.to_ascii_lowercase());
            let login = match &links.registry_name {
                Some(name) => records.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)),
                // The registry's name is unknown: any manual record may be its login record.
                None if !records.is_empty() || maybe_record.is_some() => {
                    let unknown = registry
                        .and_then(|r| match &r.name {
                            Field::Unknown(u, span) => Some((u, *span)),
                            _ => None,
                        })
                        .or(links.unknown_registry.as_ref().map(|(u, span)| (u, *span)));
                    let fallback;
                    let (u, span) = match unknown {
                        Some(found) => found,
                        None => {
                            fallback = Unknown::new("the target registry's name", "is not known");
                            (&fallback, endpoint.meta.header)
                        }
                    };
                    cx.undetermined(&endpoint.meta, "the name of the target registry", u, span);
                    continue;
                }
                None => None,
            };
            let (message, related) = match (login, &links.registry_name) {
                (None, _) => (
                    "this registry private endpoint has no DNS zone group and no A record for the registry exists in a privatelink.azurecr.io zone: clients keep resolving the registry to its public address".to_string(),
                    cx.target_registry_label(e).into_iter().collect(),
                ),
                (Some((_, login_span)), Some(name)) => {
                    let prefix = format!("{}.", name.to_ascii_lowercase());
                    let has_data = |region: Option<&str>| {
                        records.iter().any(|(n, _)| {
                            let n = n.to_ascii_lowercase();
                            match region {
                                Some(loc) => n == format!("{prefix}{}.data", loc.replace(' ', "")),
                                None => n.starts_with(&prefix) && n.ends_with(".data"),
                            }
                        })
                    };
                    let known = |loc: &str| (!is_symbolic(loc)).then(|| loc.to_ascii_lowercase());
                    // The home region's data endpoint, then each geo-replica's (reference §3.3).
                    let home = location.as_deref().and_then(known);
                    let mut missing = (!has_data(home.as_deref())).then_some(home);
                    if missing.is_none() {
                        let replicas = match registry.map(|r| &r.replicas) {
                            Some(Field::Unknown(u, span)) => Err((u, *span)),
                            Some(field) => Ok(field.value().map(Vec::as_slice).unwrap_or_default()),
                            // A registry whose name is unknown may be the target, and have replicas.
                            None => match &links.unknown_registry {
                                Some((u, span)) => Err((u, *span)),
                                None => Ok(&[][..]),
                            },
                        };
                        let replicas = replicas.and_then(|list| {
                            list.iter().try_fold(Vec::new(), |mut regions, replica| match replica {
                                Field::Unknown(u, span) => Err((u, *span)),
                                loc => {
                                    regions.extend(loc.value().and_then(|l| known(l)));
                                    Ok(regions)
                                }
                            })
                        });
                        match replicas {
                            Err((u, span)) => {
                                cx.undetermined(&endpoint.meta, "the region of a geo-replica", u, span);
                                continue;
                            }
                            Ok(regions) => {
                                missing = regions.into_iter().find(|r| !has_data(Some(r))).map(Some);
                            }
                        }
                    }
                    let Some(region) = missing else {
                        continue;
                    };
                    let name = crate::symbolic::display(name);
                    let expected = match &region {
                        Some(loc) => format!("{name}.{}.data", loc.replace(' ', "")),
                        None => format!("{name}.<region>.data"),
                    };
                    (
                        format!("this registry private endpoint has manual A records for the login server but none for the data endpoint `{expected}`: image layer downloads resolve to the public data endpoint"),
                        vec![Label::new(*login_span, "the login server record")],
                    )
                }
                (Some(_), None) => continue,
            };
            // Unknown zone groups may be none, or may publish the records: not a finding.
            if let Some((u, span)) = groups_unknown {
                cx.undetermined(&endpoint.meta, "the DNS zone group", u, span);
                continue;
            }
            // A record that may be in a registry zone may be the missing one.
            if let Some((u, span)) = maybe_record {
                cx.undetermined(&endpoint.meta, "a manual DNS record", u, span);
                continue;
            }
            let fix = login.is_none().then(|| zone_group_fix(cx, e)).flatten();
            if let Some(f) = cx.report(&endpoint.meta, "private_dns_zone_group", Label::new(endpoint.meta.header, message), related) {
                f.fix_intent = fix;
            }
        }
    }
}
