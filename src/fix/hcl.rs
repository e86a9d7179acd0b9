//! Terraform: attributes and blocks added to a resource's block, resources added after it, as
//! `terraform fmt` would align them.

use super::{insert_before_brace, newline_at, Edit, Setting};
use crate::source::Span;

/// The lines a setting adds to a resource's block, the first naming what they set.
pub(super) fn attribute(setting: &Setting) -> Option<Vec<String>> {
    Some(match setting {
        Setting::PublicNetworkAccessOff => vec!["public_network_access_enabled = false".into()],
        Setting::ExportOff => vec!["export_policy_enabled = false".into()],
        Setting::ZoneGroup { zone, endpoint } => {
            // A reference is written within one module.
            let (zone_module, zone) = split_module(zone.tf_addr.as_deref()?);
            if split_module(endpoint.tf_addr.as_deref()?).0 != zone_module {
                return None;
            }
            vec![
                "private_dns_zone_group {".into(),
                "  name                 = \"default\"".into(),
                format!("  private_dns_zone_ids = [{zone}.id]"),
                "}".into(),
            ]
        }
        Setting::VnetLink { .. } => return None,
    })
}

/// A Terraform address split into its module path (`module.a.module.b["x"].`, empty at the root)
/// and the address within the module (`azurerm_private_dns_zone.acr[0]`): references between
/// resources are written within one module.
pub(super) fn split_module(addr: &str) -> (&str, &str) {
    let mut rest = addr;
    let mut at = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        // The module's name and instance key end at the next `.` outside brackets and quotes.
        let mut depth = 0;
        let mut quoted = false;
        let end = after.char_indices().find_map(|(i, c)| {
            match c {
                '"' => quoted = !quoted,
                '[' if !quoted => depth += 1,
                ']' if !quoted => depth -= 1,
                '.' if !quoted && depth == 0 => return Some(i),
                _ => {}
            }
            None
        });
        let Some(end) = end else { break };
        let consumed = "module.".len() + end + 1;
        at += consumed;
        rest = &rest[consumed..];
    }
    (&addr[..at], rest)
}

/// The Terraform type of any Azure resource written as its ARM body.
const AZAPI: &str = "azapi_resource";

/// The Terraform type of a private DNS zone's virtual network link.
const LINK_TYPE: &str = "azurerm_private_dns_zone_virtual_network_link";

/// `text` parsed as the loader parsed it, so that a file read by recovery (a duplicated object key)
/// is fixed too: its spans are those of the text as written, and an edit adds to a block, never
/// inside the object expressions that recovery changes.
fn parse(text: &str) -> Option<hcl_edit::structure::Body> {
    crate::load::terraform::recover::parse_body(text)
        .ok()
        .map(|p| p.body)
}

/// The HCL block of `text` whose header is at `header`.
fn hcl_block(
    body: &hcl_edit::structure::Body,
    header: Span,
) -> Option<&hcl_edit::structure::Block> {
    use hcl_edit::Span as _;
    body.blocks().find(|b| {
        b.span()
            .is_some_and(|r| r.start <= header.start as usize && (header.start as usize) < r.end)
    })
}

/// An edit that adds `lines` (an attribute, or a nested block) as the last paragraph of the HCL
/// block whose header is at `header`: before the closing brace, after a blank line, indented one
/// level (two spaces) more than the header, so that `terraform fmt` leaves the alignment of the
/// other attributes as it was. Nothing when the block already sets what the first line names.
pub(super) fn add_attribute(text: &str, header: Span, lines: &[String]) -> Option<Edit> {
    use hcl_edit::Span as _;
    let body = parse(text)?;
    let block = hcl_block(&body, header)?;
    // azapi takes its settings in `body`, by their ARM names: no attribute of the azurerm
    // resource belongs there.
    if block.labels.first().is_some_and(|l| l.as_str() == AZAPI) {
        return None;
    }
    // An attribute written as an expression that gives null is absent to the model, but
    // writing it again would define it twice.
    let key = lines.first()?.split([' ', '=']).next()?;
    // A `dynamic` block of that name counts too: its variable is what to change.
    let written = block.body.iter().any(|s| {
        s.as_attribute().is_some_and(|a| a.key.as_str() == key)
            || s.as_block().is_some_and(|b| {
                b.ident.as_str() == key
                    || (b.ident.as_str() == "dynamic"
                        && b.labels.first().is_some_and(|l| l.as_str() == key))
            })
    });
    if written {
        return None;
    }
    insert_before_brace(text, header.file, block.span()?.end, lines, true)
}

/// An edit that writes the VNet link of `setting` after the HCL block whose header is at
/// `header`, labelled as the VNet unless a link of the module already is, in the attribute names
/// of the file's provider version (azurerm 5 names the zone by id; before, by name and resource
/// group), aligned as `terraform fmt` aligns them.
pub(super) fn add_vnet_link(text: &str, header: Span, setting: &Setting) -> Option<Edit> {
    use hcl_edit::Span as _;
    let Setting::VnetLink {
        zone,
        vnet,
        vnet_name,
        links,
        taken: names,
    } = setting
    else {
        return None;
    };
    let (zone_module, zone) = split_module(zone.tf_addr.as_deref()?);
    let (vnet_module, vnet) = split_module(vnet.tf_addr.as_deref()?);
    if zone_module != vnet_module {
        return None;
    }
    let vnet_label = vnet.rsplit('.').next()?.split('[').next()?;
    let taken = |label: &str| {
        links.iter().filter_map(|l| l.tf_addr.as_deref()).any(|a| {
            let (module, local) = split_module(a);
            module == zone_module
                && local.split('[').next() == Some(&format!("{LINK_TYPE}.{label}"))
        })
    };
    let label = [vnet_label.to_string(), format!("{vnet_label}_acr")]
        .into_iter()
        .find(|l| !taken(l))?;
    let name = super::link_name(vnet_name.as_deref().unwrap_or(vnet_label), names);
    let body = parse(text)?;
    let end = hcl_block(&body, header)?.span()?.end;
    let by_id = text.contains("private_dns_zone_id ") || text.contains("private_dns_zone_id=");
    // An azapi zone has no `resource_group_name` to name it by.
    if !by_id && zone.starts_with(AZAPI) {
        return None;
    }
    let attributes: Vec<(&str, String)> = match by_id {
        true => vec![
            ("name", format!("\"{name}\"")),
            ("private_dns_zone_id", format!("{zone}.id")),
            ("virtual_network_id", format!("{vnet}.id")),
        ],
        false => vec![
            ("name", format!("\"{name}\"")),
            ("resource_group_name", format!("{zone}.resource_group_name")),
            ("private_dns_zone_name", format!("{zone}.name")),
            ("virtual_network_id", format!("{vnet}.id")),
        ],
    };
    let width = attributes.iter().map(|(k, _)| k.len()).max()?;
    let newline = newline_at(text, end);
    let mut added = format!("{newline}{newline}resource \"{LINK_TYPE}\" \"{label}\" {{{newline}");
    for (key, value) in attributes {
        added.push_str(&format!("  {key:<width$} = {value}{newline}"));
    }
    added.push('}');
    Some(Edit {
        file: header.file,
        start: end,
        end,
        text: added,
    })
}
