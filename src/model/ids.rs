//! Azure resource ids: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]…`.

/// The parts of a resource id that linking needs, borrowed from the id text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceId<'a> {
    pub resource_group: Option<&'a str>,
    /// What follows the last `providers/`: `{ns}/{type}/{name}[/{type}/{name}]…`.
    rest: &'a str,
    /// Number of `{type}/{name}` pairs in `rest`.
    depth: usize,
}

/// The `/`-separated segments of `text` (a byte scan: ids are long and this runs per link).
fn segments(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = s.get(i + 1..);
                s.get(..i)
            }
            None => {
                rest = None;
                Some(s)
            }
        }
    })
}

impl<'a> ResourceId<'a> {
    /// Parse the last `providers/` part of an id (extension resources nest ids). `None` when the
    /// text is not a resource id.
    pub fn parse(id: &'a str) -> Option<ResourceId<'a>> {
        let trimmed = id.trim_matches('/');
        let mut resource_group = None;
        let mut rg_seen = false;
        let mut rg_next = false;
        // Start of what follows the last `providers`, and the segments seen after it.
        let mut rest = None;
        let mut after: usize = 0;
        let mut namespace_empty = false;
        let mut offset = 0;
        for segment in segments(trimmed) {
            let end = offset + segment.len();
            if rg_next {
                resource_group = Some(segment);
                rg_next = false;
            } else if !rg_seen && segment.eq_ignore_ascii_case("resourceGroups") {
                rg_seen = true;
                rg_next = true;
            }
            if segment.eq_ignore_ascii_case("providers") {
                rest = Some(end + 1);
                after = 0;
            } else if rest.is_some() {
                if after == 0 {
                    namespace_empty = segment.is_empty();
                }
                after += 1;
            }
            offset = end + 1;
        }
        let rest = trimmed.get(rest?..)?;
        let pairs = after.checked_sub(1)?;
        if rest.is_empty() || pairs == 0 || pairs % 2 != 0 || namespace_empty {
            return None;
        }
        Some(ResourceId {
            resource_group,
            rest,
            depth: pairs / 2,
        })
    }

    /// Whether the full type (`Microsoft.Network/privateDnsZones/virtualNetworkLinks`) is
    /// `rtype`, compared case-insensitively.
    pub fn is_type(&self, rtype: &str) -> bool {
        let mut own = segments(self.rest)
            .enumerate()
            .filter(|(i, _)| *i == 0 || i % 2 == 1)
            .map(|(_, s)| s);
        let mut other = segments(rtype);
        loop {
            match (own.next(), other.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => {}
                _ => return false,
            }
        }
    }

    /// Whether the namespace and types are written as text, not made of values known only later
    /// (`{parameters('type')}` in an id built of inputs nobody gave, see [`crate::symbolic`]).
    pub fn type_is_known(&self) -> bool {
        segments(self.rest)
            .enumerate()
            .filter(|(i, _)| *i == 0 || i % 2 == 1)
            .all(|(_, s)| !s.is_empty() && !s.contains(['{', '}', '(', '\'', '[']))
    }

    /// One name per type segment: `["privatelink.azurecr.io", "hub"]`.
    pub fn names(&self) -> impl Iterator<Item = &'a str> {
        segments(self.rest).skip(2).step_by(2)
    }

    /// Number of type segments (1 for a top-level resource, 2 for a child).
    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn name(&self) -> &'a str {
        match self.rest.bytes().rposition(|b| b == b'/') {
            Some(i) => self.rest.get(i + 1..).unwrap_or(""),
            None => self.rest,
        }
    }

    /// The id of the parent resource (`…/virtualNetworks/vnet` for a subnet id).
    pub fn parent_id(id: &str) -> Option<&str> {
        let trimmed = id.trim_end_matches('/');
        let cut = trimmed.rfind('/')?;
        let cut = trimmed[..cut].rfind('/')?;
        Some(&trimmed[..cut])
    }
}

/// Ids compare case-insensitively on types and names.
pub fn normalize(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// Whether two ids are equal once normalized (see `normalize`), without allocating.
pub fn same_id(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// A VNet's inline subnets as Azure returns them: each with the id it gets, which `id_of` makes
/// from its `name` (`{vnet id}/subnets/{name}`, or unknown). Any `id` written is replaced.
pub fn give_subnet_ids(
    subnets: &mut [crate::value::Node],
    id_of: impl Fn(Option<&crate::value::Value>) -> crate::value::Value,
) {
    use crate::value::{Node, Value};
    for subnet in subnets {
        let Value::Object(fields) = &mut subnet.value else {
            continue;
        };
        let name = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("name"))
            .map(|(_, n)| &n.value);
        let id = id_of(name);
        fields.retain(|(k, _)| !k.eq_ignore_ascii_case("id"));
        fields.push(("id".into(), Node::new(id, subnet.span)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_is_known_when_written() {
        let known = "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.KeyVault/vaults/{parameters('kv')}";
        assert!(ResourceId::parse(known).unwrap().type_is_known());
        let child = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/{parameters('zone')}/A/{parameters('record')}";
        assert!(ResourceId::parse(child).unwrap().type_is_known());
        let typed_by_input =
            "/subscriptions/s/resourceGroups/rg/providers/{parameters('ns')}/vaults/kv";
        assert!(!ResourceId::parse(typed_by_input).unwrap().type_is_known());
    }

    #[test]
    fn parses_child_ids_and_parents() {
        let id = "/subscriptions/s/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io/virtualNetworkLinks/spoke";
        let parsed = ResourceId::parse(id).unwrap();
        assert!(parsed.is_type("microsoft.network/privateDnsZones/virtualNetworkLinks"));
        assert!(!parsed.is_type("Microsoft.Network/privateDnsZones"));
        assert!(!parsed.is_type("Microsoft.Network/privateDnsZones/virtualNetworkLinks/x"));
        assert_eq!(
            parsed.names().collect::<Vec<_>>(),
            vec!["privatelink.azurecr.io", "spoke"]
        );
        assert_eq!(parsed.resource_group, Some("hub-rg"));
        assert_eq!(parsed.depth(), 2);
        assert_eq!(parsed.name(), "spoke");
        assert_eq!(
            ResourceId::parent_id(id),
            Some("/subscriptions/s/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io")
        );
        assert!(ResourceId::parse("privatelink.azurecr.io").is_none());
        assert!(ResourceId::parse("/subscriptions/s/providers/Microsoft.Network").is_none());
        assert!(ResourceId::parse("/subscriptions/s/providers").is_none());
        assert!(ResourceId::parse("/providers//a/b").is_none());
        assert!(ResourceId::parse("/providers/ns/a/b/c").is_none());
        let nested = ResourceId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/A.B/x/y/providers/C.D/t/n/",
        )
        .unwrap();
        assert!(nested.is_type("C.D/t"));
        assert_eq!(nested.resource_group, Some("rg"));
        assert_eq!(nested.name(), "n");
        assert!(same_id("/A/b/", "/a/B"));
        assert!(!same_id("/a/b", "/a/c"));
    }
}
