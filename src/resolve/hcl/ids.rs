//! The segments of a resource id that the configuration names. `split("/", vnet.id)[8]` is the
//! VNet's name and `[4]` its resource group: modules that take an id and need a name
//! (`virtual_network_name = split("/", var.vnet_id)[8]`) read it this way. The id of a resource
//! this configuration manages is known only after apply, but its layout is fixed by its type, and
//! every segment but the subscription is an attribute of the resource.

use crate::value::ResourceRef;

/// One segment of an id: fixed text, or the attribute of the resource that fills it.
pub(super) enum Segment {
    Text(&'static str),
    Attr(&'static str),
    /// The provider's subscription: not in the configuration.
    Subscription,
}

use Segment::{Attr, Subscription, Text};

/// `/subscriptions/{s}/resourceGroups/{rg}/providers`, before every resource's own segments.
static GROUP: [Segment; 6] = [
    Text(""),
    Text("subscriptions"),
    Subscription,
    Text("resourceGroups"),
    Attr("resource_group_name"),
    Text("providers"),
];

/// A resource group's own id.
static RESOURCE_GROUP: [Segment; 5] = [
    Text(""),
    Text("subscriptions"),
    Subscription,
    Text("resourceGroups"),
    Attr("name"),
];

/// The segments after `/subscriptions/{s}/resourceGroups/{rg}/providers` of each azurerm type
/// whose id acrlint follows.
fn provider_segments(rtype: &str) -> Option<&'static [Segment]> {
    Some(match rtype {
        "azurerm_virtual_network" => &[
            Text("Microsoft.Network"),
            Text("virtualNetworks"),
            Attr("name"),
        ],
        "azurerm_subnet" => &[
            Text("Microsoft.Network"),
            Text("virtualNetworks"),
            Attr("virtual_network_name"),
            Text("subnets"),
            Attr("name"),
        ],
        "azurerm_private_dns_zone" => &[
            Text("Microsoft.Network"),
            Text("privateDnsZones"),
            Attr("name"),
        ],
        "azurerm_private_dns_zone_virtual_network_link" => &[
            Text("Microsoft.Network"),
            Text("privateDnsZones"),
            Attr("private_dns_zone_name"),
            Text("virtualNetworkLinks"),
            Attr("name"),
        ],
        "azurerm_private_endpoint" => &[
            Text("Microsoft.Network"),
            Text("privateEndpoints"),
            Attr("name"),
        ],
        "azurerm_container_registry" => &[
            Text("Microsoft.ContainerRegistry"),
            Text("registries"),
            Attr("name"),
        ],
        _ => return None,
    })
}

/// The segments of `r`'s id split on `/` (the empty text before the leading `/` first), when
/// `r` reads the `id` of a resource whose id layout is known.
pub(super) fn id_segments(r: &ResourceRef) -> Option<Vec<&'static Segment>> {
    if r.attr != ["id"] {
        return None;
    }
    let rtype = resource_type(&r.addr)?;
    if rtype == "azurerm_resource_group" {
        return Some(RESOURCE_GROUP.iter().collect());
    }
    Some(GROUP.iter().chain(provider_segments(rtype)?).collect())
}

/// The resource type of an address: `azurerm_subnet` for `module.net.azurerm_subnet.pe["a"]`
/// and for `data.azurerm_subnet.pe`.
fn resource_type(addr: &str) -> Option<&str> {
    // An instance key may hold dots (`["privatelink.azurecr.io"]`): drop it first.
    let addr = match addr.strip_suffix(']') {
        Some(a) => a.rsplit_once('[')?.0,
        None => addr,
    };
    let mut it = addr.rsplitn(3, '.');
    let _label = it.next()?;
    it.next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_is_read_past_modules_data_and_instance_keys() {
        for (addr, want) in [
            ("azurerm_subnet.pe", "azurerm_subnet"),
            ("data.azurerm_subnet.pe", "azurerm_subnet"),
            (
                "module.net[\"a.b\"].azurerm_private_dns_zone.z[\"privatelink.azurecr.io\"]",
                "azurerm_private_dns_zone",
            ),
        ] {
            assert_eq!(resource_type(addr), Some(want), "{addr}");
        }
        assert_eq!(resource_type("pe"), None);
    }
}
