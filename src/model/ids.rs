//! Azure resource ids: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]…`.

/// The parts of a resource id that linking needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceId {
    pub resource_group: Option<String>,
    /// Full type: `Microsoft.Network/privateDnsZones/virtualNetworkLinks`.
    pub rtype: String,
    /// One name per type segment: `["privatelink.azurecr.io", "hub"]`.
    pub names: Vec<String>,
}

impl ResourceId {
    /// Parse the last `providers/` part of an id (extension resources nest ids). `None` when the
    /// text is not a resource id.
    pub fn parse(id: &str) -> Option<ResourceId> {
        let segments: Vec<&str> = id.trim_matches('/').split('/').collect();
        let providers = segments
            .iter()
            .rposition(|s| s.eq_ignore_ascii_case("providers"))?;
        let resource_group = segments
            .iter()
            .position(|s| s.eq_ignore_ascii_case("resourceGroups"))
            .and_then(|i| segments.get(i + 1))
            .map(|s| s.to_string());
        let rest = segments.get(providers + 1..)?;
        let (namespace, pairs) = rest.split_first()?;
        if pairs.is_empty() || pairs.len() % 2 != 0 || namespace.is_empty() {
            return None;
        }
        let mut rtype = namespace.to_string();
        let mut names = Vec::new();
        for pair in pairs.chunks(2) {
            rtype.push('/');
            rtype.push_str(pair[0]);
            names.push(pair[1].to_string());
        }
        Some(ResourceId {
            resource_group,
            rtype,
            names,
        })
    }

    pub fn is_type(&self, rtype: &str) -> bool {
        self.rtype.eq_ignore_ascii_case(rtype)
    }

    pub fn name(&self) -> &str {
        self.names.last().map_or("", |s| s.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_child_ids_and_parents() {
        let id = "/subscriptions/s/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io/virtualNetworkLinks/spoke";
        let parsed = ResourceId::parse(id).unwrap();
        assert_eq!(
            parsed.rtype,
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
        );
        assert_eq!(parsed.names, vec!["privatelink.azurecr.io", "spoke"]);
        assert_eq!(parsed.resource_group.as_deref(), Some("hub-rg"));
        assert_eq!(parsed.name(), "spoke");
        assert_eq!(
            ResourceId::parent_id(id),
            Some("/subscriptions/s/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io")
        );
        assert!(ResourceId::parse("privatelink.azurecr.io").is_none());
        assert!(ResourceId::parse("/subscriptions/s/providers/Microsoft.Network").is_none());
    }
}
