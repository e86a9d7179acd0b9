//! ARM JSON: members added to a resource's `properties`, resources added after one, in the
//! file's indentation, key order kept.

use super::{capitalized, newline_at, Edit};
use crate::load::json::{Json, JsonValue};
use crate::source::Span;

/// The resource whose `type` is at `header`, and the array or object that holds it.
fn find<'a>(
    j: &'a Json,
    holder: Option<&'a Json>,
    header: usize,
) -> Option<(&'a Json, Option<&'a Json>)> {
    match &j.value {
        JsonValue::Object(members) => {
            if members
                .iter()
                .any(|(k, v)| k.name == "type" && v.span.start == header)
            {
                return Some((j, holder));
            }
            members.iter().find_map(|(_, v)| find(v, Some(j), header))
        }
        JsonValue::Array(items) => items.iter().find_map(|i| find(i, Some(j), header)),
        _ => None,
    }
}

/// The whitespace before the first character of the line holding `at`.
fn indent_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The file's indentation step: how much deeper than `object` its first member is.
fn unit<'t>(text: &'t str, object: &Json) -> &'t str {
    let outer = indent_at(text, object.span.start);
    let inner = object
        .members()
        .first()
        .map_or("", |(k, _)| indent_at(text, k.span.start));
    match inner.strip_prefix(outer) {
        Some(step) if !step.is_empty() => step,
        _ => "  ",
    }
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// An edit that sets `"key": "value"` in the objects `path` of the ARM
/// resource whose `type` is at `header` (making the objects that are absent), as the last member,
/// on a line of its own at the indentation of the member before it. Nothing when the key is
/// written already, or a step is not an object with members.
pub(super) fn add_property(text: &str, header: Span, setting: super::Property) -> Option<Edit> {
    let (path, key, value) = setting;
    let doc = crate::load::json::parse(text).ok()?;
    let (resource, _) = find(&doc, None, header.start as usize)?;
    let (object, rest) = super::deepest(resource, path, |o, segment| match o.get(segment) {
        Some(v) if matches!(v.value, JsonValue::Object(_)) => Ok(Some(v)),
        Some(_) => Err(()),
        None => Ok(None),
    })?;
    if rest.is_empty() && object.get(key).is_some() {
        return None;
    }
    let (_, last) = object.members().last()?;
    let indent = indent_at(text, last.span.start);
    let step = unit(text, object);
    let newline = newline_at(text, last.span.start);
    let mut lines: Vec<String> = (0..rest.len())
        .map(|d| format!("{}{}: {{", step.repeat(d), string(rest[d])))
        .collect();
    lines.push(format!(
        "{}{}: {}",
        step.repeat(rest.len()),
        string(key),
        string(value)
    ));
    lines.extend(
        (0..rest.len())
            .rev()
            .map(|d| format!("{}}}", step.repeat(d))),
    );
    let mut added = ",".to_string();
    for l in lines {
        added.push_str(&format!("{newline}{indent}{l}"));
    }
    Some(Edit {
        file: header.file,
        start: last.span.end,
        end: last.span.end,
        text: added,
    })
}

/// A resource's name as an ARM expression (without brackets), and as a literal when it is one.
fn name_of(resource: &Json) -> Option<(String, Option<&str>)> {
    let JsonValue::String(s) = &resource.get("name")?.value else {
        return None;
    };
    match s.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
        Some(expr) if !s.starts_with("[[") => Some((expr.trim().to_string(), None)),
        _ => Some((crate::resolve::arm::literal(s), Some(s))),
    }
}

fn literal<'a>(resource: &'a Json, key: &str) -> Option<&'a str> {
    match &resource.get(key)?.value {
        JsonValue::String(s) if !s.starts_with('[') => Some(s),
        _ => None,
    }
}

/// A resource of the template deployed once, at the template's scope, of the given type: what a
/// fix can refer to with `resourceId(type, name)` and write a sibling for. A condition or loop
/// would have to be repeated on the sibling.
fn plain(resource: &Json, rtype: &str) -> bool {
    let once = [
        "copy",
        "condition",
        "scope",
        "subscriptionId",
        "resourceGroup",
    ]
    .iter()
    .all(|k| resource.get(k).is_none());
    once && literal(resource, "type").is_some_and(|t| t.eq_ignore_ascii_case(rtype))
}

/// Where new resources go in a template's `resources`, and how they name the ones they depend on.
struct Resources<'a> {
    text: &'a str,
    holder: &'a Json,
    /// `languageVersion` 2.0: `resources` is an object keyed by symbolic name.
    symbolic: bool,
}

impl<'a> Resources<'a> {
    /// The resource whose `type` is at `header`, when it is in these resources.
    fn at(&self, doc: &'a Json, header: Span) -> Option<&'a Json> {
        let (resource, holder) = find(doc, None, header.start as usize)?;
        std::ptr::eq(holder?, self.holder).then_some(resource)
    }

    fn of(text: &'a str, doc: &'a Json, header: Span) -> Option<(Resources<'a>, &'a Json)> {
        let (resource, holder) = find(doc, None, header.start as usize)?;
        let holder = holder?;
        let symbolic = matches!(holder.value, JsonValue::Object(_));
        Some((
            Resources {
                text,
                holder,
                symbolic,
            },
            resource,
        ))
    }

    /// The key of a resource in an object of resources (language 2.0).
    fn member_key(&self, resource: &Json) -> Option<&'a crate::load::json::JsonKey> {
        let members = self.holder.members();
        members
            .iter()
            .find(|(_, v)| std::ptr::eq(v, resource))
            .map(|(k, _)| k)
    }

    /// The symbolic name of a resource (language 2.0).
    fn key(&self, resource: &Json) -> Option<&'a str> {
        self.member_key(resource).map(|k| k.name.as_str())
    }

    /// How `dependsOn` names a resource: its symbolic name, or its id.
    fn dependency(&self, resource: &Json, rtype: &str) -> Option<String> {
        match self.symbolic {
            true => self.key(resource).map(str::to_string),
            false => Some(format!("[resourceId('{rtype}', {})]", name_of(resource)?.0)),
        }
    }

    /// An edit that writes `new` after `resource`, as an element or (language 2.0) as a member
    /// keyed by a free name made from `base`.
    fn insert_after(
        &self,
        file: crate::source::FileId,
        resource: &Json,
        base: &str,
        new: &serde_json::Value,
    ) -> Option<Edit> {
        let at = resource.span.end;
        let (indent, prefix) = match self.symbolic {
            false => (indent_at(self.text, resource.span.start), String::new()),
            true => {
                let key = self.member_key(resource)?.span.start;
                let members = self.holder.members();
                let name = super::free_name(base, |k| {
                    members.iter().any(|(m, _)| m.name.eq_ignore_ascii_case(k))
                });
                (indent_at(self.text, key), format!("{}: ", string(&name)))
            }
        };
        let step = unit(self.text, resource);
        let newline = newline_at(self.text, at);
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(step.as_bytes());
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        serde::Serialize::serialize(new, &mut ser).ok()?;
        let body = String::from_utf8(out)
            .ok()?
            .replace('\n', &format!("{newline}{indent}"));
        Some(Edit {
            file,
            start: at,
            end: at,
            text: format!(",{newline}{indent}{prefix}{body}"),
        })
    }
}

const ENDPOINTS: &str = "Microsoft.Network/privateEndpoints";
const ZONES: &str = "Microsoft.Network/privateDnsZones";
const VNETS: &str = "Microsoft.Network/virtualNetworks";

/// An edit that writes a DNS zone group for the endpoint whose `type` is at `endpoint`, binding
/// the zone whose `type` is at `zone`, after the endpoint in the same `resources`, in the
/// endpoint's API version; the configuration is named as the zone, as azurerm names it.
pub(super) fn add_zone_group(text: &str, endpoint: Span, zone: Span) -> Option<Edit> {
    let doc = crate::load::json::parse(text).ok()?;
    let (resources, pe) = Resources::of(text, &doc, endpoint)?;
    let z = resources.at(&doc, zone)?;
    if !plain(pe, ENDPOINTS) || pe.get("existing").is_some() || !plain(z, ZONES) {
        return None;
    }
    let api = literal(pe, "apiVersion")?;
    let (pe_name, pe_literal) = name_of(pe)?;
    let (zone_name, zone_literal) = name_of(z)?;
    let name = match pe_literal {
        Some(n) => format!("{n}/default"),
        None => format!("[format('{{0}}/{{1}}', {pe_name}, 'default')]"),
    };
    let config = zone_literal.map_or_else(|| format!("[{zone_name}]"), str::to_string);
    let group = serde_json::json!({
        "type": format!("{ENDPOINTS}/privateDnsZoneGroups"),
        "apiVersion": api,
        "name": name,
        "properties": {
            "privateDnsZoneConfigs": [{
                "name": config,
                "properties": {
                    "privateDnsZoneId": format!("[resourceId('{ZONES}', {zone_name})]")
                }
            }]
        },
        "dependsOn": [resources.dependency(pe, ENDPOINTS)?, resources.dependency(z, ZONES)?]
    });
    let base = format!("{}ZoneGroup", resources.key(pe).unwrap_or_default());
    resources.insert_after(endpoint.file, pe, &base, &group)
}

/// An edit that writes a virtual network link from the zone whose `type` is at `zone` to the
/// VNet whose `type` is at `vnet`, after the resource whose `type` is at `after` (the zone's last
/// link, or the zone) in the same `resources`, in the zone's API version, named after the VNet.
pub(super) fn add_vnet_link(text: &str, link: super::Link) -> Option<Edit> {
    let doc = crate::load::json::parse(text).ok()?;
    let (resources, z) = Resources::of(text, &doc, link.zone)?;
    let v = resources.at(&doc, link.vnet)?;
    if !plain(z, ZONES) || !plain(v, VNETS) {
        return None;
    }
    let previous = resources.at(&doc, link.after).unwrap_or(z);
    let api = literal(z, "apiVersion")?;
    let (zone_name, zone_literal) = name_of(z)?;
    let (vnet_name_expr, _) = name_of(v)?;
    let name = match (zone_literal, link.vnet_name) {
        (Some(zn), Some(vn)) => format!("{zn}/{}", super::link_name(vn, link.taken)),
        (_, Some(vn)) => format!(
            "[format('{{0}}/{{1}}', {zone_name}, {})]",
            crate::resolve::arm::literal(&super::link_name(vn, link.taken))
        ),
        (_, None) => format!("[format('{{0}}/link-{{1}}', {zone_name}, {vnet_name_expr})]"),
    };
    let new = serde_json::json!({
        "type": format!("{ZONES}/virtualNetworkLinks"),
        "apiVersion": api,
        "name": name,
        "location": "global",
        "properties": {
            "registrationEnabled": false,
            "virtualNetwork": {
                "id": format!("[resourceId('{VNETS}', {vnet_name_expr})]")
            }
        },
        "dependsOn": [resources.dependency(z, ZONES)?, resources.dependency(v, VNETS)?]
    });
    let base = format!(
        "{}Link{}",
        resources.key(z).unwrap_or_default(),
        capitalized(resources.key(v).unwrap_or_default())
    );
    resources.insert_after(link.zone.file, previous, &base, &new)
}
