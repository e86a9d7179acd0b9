//! Bicep: properties added to a resource's body, child resources written after it, two spaces
//! per level as the Bicep formatter writes them.

use super::{insert_before_brace, newline_at, Edit};
use crate::load::bicep::ast::{
    Expr, ExprKind, ImportSymbols, Item, ItemKind, Key, ObjectItem, Resource,
};
use crate::source::Span;

/// The top-level statement declaring the resource whose header starts at `at` (a child declared
/// in its parent's body is not one: it is not in scope by its name where a fix writes).
fn resource_at(items: &[Item], at: usize) -> Option<(&Item, &Resource)> {
    items.iter().find_map(|i| match &i.kind {
        ItemKind::Resource(r) if i.span.start == at => Some((i, r.as_ref())),
        _ => None,
    })
}

fn key_name(k: &Key) -> Option<String> {
    match k {
        Key::Ident(i) => Some(i.name.clone()),
        Key::String(e) => crate::load::bicep::lower::literal_string(e),
    }
}

/// The value of property `name` of an object literal.
fn property<'a>(object: &'a Expr, name: &str) -> Option<&'a Expr> {
    let ExprKind::Object(items) = &object.kind else {
        return None;
    };
    items.iter().find_map(|i| match i {
        ObjectItem::Property { key, value, .. }
            if key_name(key).is_some_and(|k| k.eq_ignore_ascii_case(name)) =>
        {
            Some(value)
        }
        _ => None,
    })
}

/// The object literal a resource body declares, under its condition or loop.
fn body_object(body: &Expr) -> Option<&Expr> {
    match &body.kind {
        ExprKind::Object(_) => Some(body),
        ExprKind::If { body, .. } | ExprKind::For { body, .. } => body_object(body),
        _ => None,
    }
}

/// The lines of `key: 'value'` nested in objects `path`, indented from the first.
fn nested(path: &[&str], key: &str, value: &str) -> Vec<String> {
    let pad = |depth: usize| "  ".repeat(depth);
    let mut lines: Vec<String> = (0..path.len())
        .map(|d| format!("{}{}: {{", pad(d), path[d]))
        .collect();
    lines.push(format!("{}{key}: '{value}'", pad(path.len())));
    lines.extend((0..path.len()).rev().map(|d| format!("{}}}", pad(d))));
    lines
}

/// An edit that sets `key: 'value'` in the objects `path` of the resource
/// whose header is at `header` (making the objects that are absent), on a line of its own before
/// the closing brace. Nothing when the key is written already or a step is not an object literal.
pub(super) fn add_property(text: &str, header: Span, setting: super::Property) -> Option<Edit> {
    let (path, key, value) = setting;
    let parsed = crate::load::bicep::parser::parse(text);
    let (_, resource) = resource_at(&parsed.file.items, header.start as usize)?;
    let object = body_object(&resource.body)?;
    let (object, rest) = super::deepest(object, path, |o, segment| match property(o, segment) {
        Some(v) if matches!(v.kind, ExprKind::Object(_)) => Ok(Some(v)),
        Some(_) => Err(()),
        None => Ok(None),
    })?;
    if rest.is_empty() && property(object, key).is_some() {
        return None;
    }
    let lines = nested(rest, key, value);
    insert_before_brace(text, header.file, object.span.end, &lines, false)
}

/// The names declared at the top of a file, which a new resource's symbol must not take.
fn declared(items: &[Item]) -> Vec<&str> {
    let mut names = Vec::new();
    for i in items {
        match &i.kind {
            ItemKind::Param { name, .. }
            | ItemKind::Var { name, .. }
            | ItemKind::Module { name, .. }
            | ItemKind::Output { name, .. }
            | ItemKind::Type { name, .. }
            | ItemKind::Func { name, .. } => names.push(name.name.as_str()),
            ItemKind::Resource(r) => names.push(r.name.name.as_str()),
            ItemKind::Import { symbols, .. } => match symbols {
                ImportSymbols::Named(list) => names.extend(
                    list.iter()
                        .map(|(name, alias)| alias.as_ref().unwrap_or(name).name.as_str()),
                ),
                ImportSymbols::Wildcard(ns) => names.push(ns.name.as_str()),
                ImportSymbols::None => {}
            },
            _ => {}
        }
    }
    names
}

/// `base`, or `base2`, `base3`... : the first that no declaration of the file takes.
fn free_symbol(items: &[Item], base: &str) -> String {
    let taken = declared(items);
    super::free_name(base, |s| taken.iter().any(|t| t.eq_ignore_ascii_case(s)))
}

/// The API version of a resource type string (`Microsoft.Network/privateEndpoints@2024-05-01`).
fn api_version(type_string: &str) -> Option<&str> {
    type_string.split_once('@').map(|(_, v)| v)
}

/// Whether a resource is declared once, with no condition or loop: a child that a fix writes for
/// it would need the same condition or loop.
fn plain(resource: &Resource) -> bool {
    matches!(resource.body.kind, ExprKind::Object(_))
}

/// An edit that writes `lines` as a new statement after `item` (and a comment that ends its
/// line), after a blank line.
fn after_item(text: &str, file: crate::source::FileId, item: &Item, lines: &[String]) -> Edit {
    let line_end = text[item.span.end..]
        .find(['\r', '\n'])
        .map_or(text.len(), |n| item.span.end + n);
    let rest = text[item.span.end..line_end].trim_start();
    let at = match rest.starts_with("//") {
        true => line_end,
        false => item.span.end,
    };
    let newline = newline_at(text, text[..at].rfind('\n').map_or(0, |n| n + 1));
    let mut added = newline.to_string();
    for l in lines {
        added.push_str(newline);
        added.push_str(l);
    }
    Edit {
        file,
        start: at,
        end: at,
        text: added,
    }
}

/// An edit that writes a DNS zone group for the endpoint declared at `endpoint`, binding the zone
/// declared at `zone`, after the endpoint, in the endpoint's API version. Both must be declared
/// in the file, once each, for the group to refer to them by their symbols.
pub(super) fn add_zone_group(text: &str, endpoint: Span, zone: Span) -> Option<Edit> {
    let parsed = crate::load::bicep::parser::parse(text);
    let items = &parsed.file.items;
    let (item, pe) = resource_at(items, endpoint.start as usize)?;
    let (_, z) = resource_at(items, zone.start as usize)?;
    if !plain(pe) || !plain(z) || pe.existing {
        return None;
    }
    let api = api_version(&pe.type_string.value)?;
    let (pe, z) = (&pe.name.name, &z.name.name);
    let symbol = free_symbol(items, &format!("{pe}ZoneGroup"));
    let lines = [
        format!("resource {symbol} 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@{api}' = {{"),
        format!("  parent: {pe}"),
        "  name: 'default'".into(),
        "  properties: {".into(),
        "    privateDnsZoneConfigs: [".into(),
        "      {".into(),
        format!("        name: {z}.name"),
        "        properties: {".into(),
        format!("          privateDnsZoneId: {z}.id"),
        "        }".into(),
        "      }".into(),
        "    ]".into(),
        "  }".into(),
        "}".into(),
    ];
    Some(after_item(text, endpoint.file, item, &lines))
}

/// An edit that writes a virtual network link from the zone declared at `zone` to the VNet
/// declared at `vnet`, after the resource declared at `after` (the zone's last link, or the
/// zone), in the zone's API version, named after the VNet.
pub(super) fn add_vnet_link(text: &str, link: super::Link) -> Option<Edit> {
    let parsed = crate::load::bicep::parser::parse(text);
    let items = &parsed.file.items;
    let (zone_item, z) = resource_at(items, link.zone.start as usize)?;
    let (_, v) = resource_at(items, link.vnet.start as usize)?;
    if !plain(z) || !plain(v) {
        return None;
    }
    let item = resource_at(items, link.after.start as usize).map_or(zone_item, |(i, _)| i);
    let api = api_version(&z.type_string.value)?;
    let (z, v) = (&z.name.name, &v.name.name);
    let symbol = free_symbol(items, &format!("{z}Link{}", super::capitalized(v)));
    let name = match link.vnet_name {
        Some(n) if !n.contains(['\'', '\\', '$']) => {
            format!("'{}'", super::link_name(n, link.taken))
        }
        _ => format!("'link-${{{v}.name}}'"),
    };
    let lines = [
        format!(
            "resource {symbol} 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@{api}' = {{"
        ),
        format!("  parent: {z}"),
        format!("  name: {name}"),
        "  location: 'global'".into(),
        "  properties: {".into(),
        "    registrationEnabled: false".into(),
        "    virtualNetwork: {".into(),
        format!("      id: {v}.id"),
        "    }".into(),
        "  }".into(),
        "}".into(),
    ];
    Some(after_item(text, link.zone.file, item, &lines))
}
