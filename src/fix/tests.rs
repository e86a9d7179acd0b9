//! Rewriting literals in each syntax: only plain literals of the kind the fix knows, never an
//! expression.

use super::hcl::{add_attribute, add_vnet_link, attribute, split_module};
use super::*;

const OFF: Literal = Literal::either(false, "Disabled");

#[test]
fn booleans_and_strings_are_rewritten_in_their_own_syntax() {
    assert_eq!(rewrite("true", Syntax::Hcl, OFF).as_deref(), Some("false"));
    assert_eq!(
        rewrite("\"Enabled\"", Syntax::Json, OFF).as_deref(),
        Some("\"Disabled\"")
    );
    assert_eq!(
        rewrite("'Enabled'", Syntax::Bicep, OFF).as_deref(),
        Some("'Disabled'")
    );
    assert_eq!(
        rewrite("\"Standard\"", Syntax::Hcl, Literal::string("Premium")).as_deref(),
        Some("\"Premium\"")
    );
}

#[test]
fn lists_of_strings_are_replaced_whole() {
    let registry = Literal::list(&["registry"]);
    assert_eq!(
        rewrite("[\"registry_data\", \"x\"]", Syntax::Hcl, registry).as_deref(),
        Some("[\"registry\"]")
    );
    assert_eq!(
        rewrite("[\n  'registryx'\n]", Syntax::Bicep, registry).as_deref(),
        Some("['registry']")
    );
    // An item that is not a plain string: not a list this can rewrite.
    assert_eq!(rewrite("[var.x]", Syntax::Hcl, registry), None);
}

#[test]
fn expressions_and_values_already_right_are_left_alone() {
    // An ARM expression is a JSON string in brackets.
    assert_eq!(
        rewrite("\"[parameters('access')]\"", Syntax::Json, OFF),
        None
    );
    assert_eq!(rewrite("\"${var.access}\"", Syntax::Hcl, OFF), None);
    assert_eq!(rewrite("'acr${suffix}'", Syntax::Bicep, OFF), None);
    assert_eq!(rewrite("var.public", Syntax::Hcl, OFF), None);
    assert_eq!(rewrite("access", Syntax::Bicep, OFF), None);
    assert_eq!(rewrite("false", Syntax::Hcl, OFF), None);
    // A boolean where the fix writes only strings, and the other way round.
    assert_eq!(
        rewrite("true", Syntax::Hcl, Literal::string("Premium")),
        None
    );
    assert_eq!(
        rewrite("\"on\"", Syntax::Hcl, Literal::boolean(false)),
        None
    );
}

#[test]
fn the_syntax_comes_from_the_file_name() {
    use std::path::Path;
    assert_eq!(syntax(Path::new("a/main.tf")), Some(Syntax::Hcl));
    assert_eq!(syntax(Path::new("prod.tfvars")), Some(Syntax::Hcl));
    assert_eq!(syntax(Path::new("main.tf.json")), Some(Syntax::Json));
    assert_eq!(syntax(Path::new("azuredeploy.JSON")), Some(Syntax::Json));
    assert_eq!(syntax(Path::new("main.bicepparam")), Some(Syntax::Bicep));
    assert_eq!(syntax(Path::new("notes.txt")), None);
}

#[test]
fn an_absent_attribute_is_added_as_the_last_paragraph_of_its_block() {
    use crate::source::FileId;
    let text = "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"acr\"\n  sku  = \"Premium\"\n}\n";
    let header = Span::new(FileId(0), 0..44);
    let edit = add_attribute(
        text,
        header,
        &["public_network_access_enabled = false".into()],
    )
    .unwrap();
    let mut fixed = text.to_string();
    fixed.replace_range(edit.start..edit.end, &edit.text);
    assert_eq!(
        fixed,
        "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"acr\"\n  sku  = \"Premium\"\n\n  public_network_access_enabled = false\n}\n"
    );
    // CRLF files get CRLF lines.
    let crlf = text.replace('\n', "\r\n");
    let edit = add_attribute(&crlf, header, &["export_policy_enabled = false".into()]).unwrap();
    assert_eq!(edit.text, "\r\n  export_policy_enabled = false\r\n");
    // Written already (as an expression that gives null): not written twice.
    let written = text.replace("  sku", "  public_network_access_enabled = var.x\n  sku");
    assert_eq!(
        add_attribute(
            &written,
            header,
            &["public_network_access_enabled = false".into()]
        ),
        None
    );
    // A block on one line: nothing to add to safely.
    let one_line = "resource \"azurerm_container_registry\" \"acr\" { name = \"acr\" }\n";
    assert_eq!(
        add_attribute(
            one_line,
            header,
            &["public_network_access_enabled = false".into()]
        ),
        None
    );
}

#[test]
fn a_file_read_by_recovery_is_fixed_too() {
    use crate::source::FileId;
    // hcl-edit refuses the duplicated key; the loader reads it as Terraform does, and so do
    // the fixer and the check of the fixed text.
    let locals = "locals {\n  m = { a = 1, a = 2 }\n}\n";
    let text = format!(
        "{locals}resource \"azurerm_container_registry\" \"acr\" {{\n  name = \"acr\"\n}}\n"
    );
    let header = Span::new(FileId(0), locals.len()..locals.len() + 44);
    let edit =
        add_attribute(&text, header, &["export_policy_enabled = false".into()]).expect("an edit");
    let fixed = applied(&text, edit);
    assert!(fixed.ends_with("  name = \"acr\"\n\n  export_policy_enabled = false\n}\n"));
    assert!(crate::load::terraform::recover::parse_body(&fixed).is_ok());
}

#[test]
fn an_absent_bicep_property_goes_into_properties() {
    use crate::source::FileId;
    let text = "resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'acr'\n  properties: {\n    adminUserEnabled: false\n  }\n}\n";
    let header = Span::new(FileId(0), 0..10);
    let add = |text: &str| {
        bicep::add_property(
            text,
            header,
            (&["properties"], "publicNetworkAccess", "Disabled"),
        )
    };
    let edit = add(text).unwrap();
    assert_eq!(
        (edit.start, edit.text.as_str()),
        (
            text.find("  }\n}").unwrap(),
            "    publicNetworkAccess: 'Disabled'\n"
        )
    );
    // No `properties`: it is made, at the body's indentation.
    let bare =
        "resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'acr'\n}\n";
    let edit = add(bare).unwrap();
    assert_eq!(
        edit.text,
        "  properties: {\n    publicNetworkAccess: 'Disabled'\n  }\n"
    );
    // Written already (as an expression that gives null): nothing.
    let written = text.replace("adminUserEnabled: false", "publicNetworkAccess: access");
    assert_eq!(add(&written), None);
    // A conditional resource: into the object it declares.
    let conditional = bare.replace("= {", "= if (deploy) {");
    assert_eq!(add(&conditional).unwrap().text, edit.text);
    // Nested objects are made where absent, and entered where present.
    let export = |text: &str| {
        let path = &["properties", "policies", "exportPolicy"];
        let edit = bicep::add_property(text, header, (path, "status", "disabled"))?;
        Some(applied(text, edit))
    };
    assert!(export(text).unwrap().contains("    adminUserEnabled: false\n    policies: {\n      exportPolicy: {\n        status: 'disabled'\n      }\n    }\n  }\n}"));
    let quarantine = text.replace(
        "adminUserEnabled: false",
        "policies: {\n      quarantinePolicy: {\n        status: 'enabled'\n      }\n    }",
    );
    assert!(export(&quarantine).unwrap().contains(
        "      }\n      exportPolicy: {\n        status: 'disabled'\n      }\n    }\n  }\n}"
    ));
    // A step that is not an object literal: nothing.
    assert_eq!(
        export(&text.replace("adminUserEnabled: false", "policies: policies")),
        None
    );
}

#[test]
fn an_absent_arm_member_is_appended_to_properties() {
    use crate::source::FileId;
    let text = "{\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.ContainerRegistry/registries\",\n      \"name\": \"acr\",\n      \"properties\": {\n        \"adminUserEnabled\": false\n      }\n    }\n  ]\n}\n";
    let start = text.find("\"Microsoft.ContainerRegistry").unwrap();
    let header = Span::new(FileId(0), start..start + 41);
    let apply = |text: &str| {
        let edit = json::add_property(
            text,
            header,
            (&["properties"], "publicNetworkAccess", "Disabled"),
        )?;
        Some(applied(text, edit))
    };
    let fixed = apply(text).unwrap();
    assert!(
        fixed.contains(
            "\"adminUserEnabled\": false,\n        \"publicNetworkAccess\": \"Disabled\"\n      }"
        ),
        "{fixed}"
    );
    assert!(crate::load::json::parse(&fixed).is_ok());
    // No `properties`: made after the last member, at its indentation.
    let bare = text.replace(
        ",\n      \"properties\": {\n        \"adminUserEnabled\": false\n      }",
        "",
    );
    let fixed = apply(&bare).unwrap();
    assert!(fixed.contains("\"name\": \"acr\",\n      \"properties\": {\n        \"publicNetworkAccess\": \"Disabled\"\n      }\n    }"), "{fixed}");
    assert!(crate::load::json::parse(&fixed).is_ok());
    // Written already: nothing.
    let written = text.replace(
        "\"adminUserEnabled\": false",
        "\"publicNetworkAccess\": \"[parameters('x')]\"",
    );
    assert_eq!(apply(&written), None);
}

#[test]
fn a_vnet_link_is_written_after_the_block_in_the_providers_attribute_names() {
    use crate::source::FileId;
    let zone =
        "resource \"azurerm_private_dns_zone\" \"acr\" {\n  name = \"privatelink.azurecr.io\"\n}\n";
    let header = Span::new(FileId(0), 0..10);
    let link_taking = |text: &str, taken: &[&str]| {
        let declared = |addr: &str| Declared {
            header,
            tf_addr: Some(addr.into()),
        };
        let setting = Setting::VnetLink {
            zone: declared("azurerm_private_dns_zone.acr"),
            vnet: declared("azurerm_virtual_network.app"),
            vnet_name: Some("vnet-app".into()),
            links: vec![declared(
                "azurerm_private_dns_zone_virtual_network_link.hub",
            )],
            taken: taken.iter().map(|t| t.to_string()).collect(),
        };
        let edit = add_vnet_link(text, header, &setting).unwrap();
        let mut fixed = text.to_string();
        fixed.replace_range(edit.start..edit.end, &edit.text);
        fixed
    };
    let link = |text: &str| link_taking(text, &["link-hub"]);
    // azurerm 4 and before: the zone by name and resource group.
    assert_eq!(
        link(zone),
        format!("{}\n\nresource \"azurerm_private_dns_zone_virtual_network_link\" \"app\" {{\n  name                  = \"link-vnet-app\"\n  resource_group_name   = azurerm_private_dns_zone.acr.resource_group_name\n  private_dns_zone_name = azurerm_private_dns_zone.acr.name\n  virtual_network_id    = azurerm_virtual_network.app.id\n}}\n", zone.trim_end())
    );
    // A file written for azurerm 5 (a link by zone id): by id.
    let v5 = format!("{zone}# private_dns_zone_id = x\n");
    let fixed = link(&v5);
    assert!(fixed.contains("  private_dns_zone_id = azurerm_private_dns_zone.acr.id\n  virtual_network_id  = azurerm_virtual_network.app.id\n"), "{fixed}");
    assert!(!fixed.contains("private_dns_zone_name"));
    // The zone has a link of that name already (to a VNet of the same name in another group):
    // a second link of one name would be the first one.
    let fixed = link_taking(zone, &["LINK-vnet-app", "link-vnet-app-2"]);
    assert!(
        fixed.contains("  name                  = \"link-vnet-app-3\"\n"),
        "{fixed}"
    );
}

#[test]
fn a_zone_group_is_not_added_beside_a_dynamic_one() {
    use crate::source::FileId;
    let text = "resource \"azurerm_private_endpoint\" \"pe\" {\n  name = \"pe\"\n  dynamic \"private_dns_zone_group\" {\n    for_each = var.groups\n    content {}\n  }\n}\n";
    let header = Span::new(FileId(0), 0..10);
    let declared = |addr: &str| Declared {
        header,
        tf_addr: Some(addr.into()),
    };
    let group = Setting::ZoneGroup {
        zone: declared("azurerm_private_dns_zone.acr"),
        endpoint: declared("azurerm_private_endpoint.pe"),
    };
    assert_eq!(
        add_attribute(text, header, &attribute(&group).unwrap()),
        None
    );
    let plain = text.replace(
        "  dynamic \"private_dns_zone_group\" {\n    for_each = var.groups\n    content {}\n  }\n",
        "",
    );
    let edit = add_attribute(&plain, header, &attribute(&group).unwrap()).unwrap();
    assert_eq!(edit.text, "\n  private_dns_zone_group {\n    name                 = \"default\"\n    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]\n  }\n");
}

#[test]
fn a_terraform_address_splits_into_its_module_and_the_rest() {
    assert_eq!(
        split_module("azurerm_private_dns_zone.acr"),
        ("", "azurerm_private_dns_zone.acr")
    );
    assert_eq!(
        split_module("module.dns.azurerm_private_dns_zone.acr[0]"),
        ("module.dns.", "azurerm_private_dns_zone.acr[0]")
    );
    assert_eq!(
        split_module("module.env[\"a.b\"].module.net.data.azurerm_private_dns_zone.z"),
        (
            "module.env[\"a.b\"].module.net.",
            "data.azurerm_private_dns_zone.z"
        )
    );
}

/// Applies an edit to the text it was made for.
fn applied(text: &str, edit: Edit) -> String {
    let mut fixed = text.to_string();
    fixed.replace_range(edit.start..edit.end, &edit.text);
    fixed
}

#[test]
fn a_bicep_zone_group_refers_to_the_endpoint_and_zone_by_their_symbols() {
    use crate::source::FileId;
    let text = "resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {\n  name: 'privatelink.azurecr.io'\n  location: 'global'\n}\n\nresource pe 'Microsoft.Network/privateEndpoints@2023-11-01' = {\n  name: 'pe'\n}\n\nvar peZoneGroup = 1\n";
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        Span::new(FileId(0), start..start + 10)
    };
    let (pe, zone) = (at("resource pe"), at("resource zone"));
    let fixed = applied(text, bicep::add_zone_group(text, pe, zone).unwrap());
    // After the endpoint, in its API version, under a symbol no declaration takes.
    assert!(fixed.contains("  name: 'pe'\n}\n\nresource peZoneGroup2 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = {\n  parent: pe\n"), "{fixed}");
    assert!(fixed.contains("          privateDnsZoneId: zone.id\n"));
    assert!(crate::load::bicep::parser::parse(&fixed).errors.is_empty());
    // After a comment that ends the endpoint's line.
    let commented = text.replace("  name: 'pe'\n}\n", "  name: 'pe'\n} // the endpoint\n");
    let fixed = applied(
        &commented,
        bicep::add_zone_group(&commented, pe, zone).unwrap(),
    );
    assert!(
        fixed.contains("} // the endpoint\n\nresource peZoneGroup2 "),
        "{fixed}"
    );
    // A conditional endpoint would need the same condition: nothing.
    let conditional = text.replace("= {\n  name: 'pe'", "= if (private) {\n  name: 'pe'");
    assert_eq!(bicep::add_zone_group(&conditional, pe, zone), None);
    // A zone in another file is not in scope by its symbol: nothing.
    let declared = |header| Declared {
        header,
        tf_addr: None,
    };
    let group = |zone| Setting::ZoneGroup {
        zone: declared(zone),
        endpoint: declared(pe),
    };
    assert!(group(zone).add(Syntax::Bicep, text, pe).is_some());
    let elsewhere = Span::new(FileId(1), zone.start as usize..zone.end as usize);
    assert_eq!(group(elsewhere).add(Syntax::Bicep, text, pe), None);
}

#[test]
fn an_arm_link_names_the_zone_and_vnet_as_their_resources_do() {
    use crate::source::FileId;
    let text = "{\n    \"resources\": [\n        {\n            \"type\": \"Microsoft.Network/privateDnsZones\",\n            \"apiVersion\": \"2020-06-01\",\n            \"name\": \"[parameters('zone')]\",\n            \"location\": \"global\"\n        },\n        {\n            \"type\": \"Microsoft.Network/virtualNetworks\",\n            \"apiVersion\": \"2024-05-01\",\n            \"name\": \"[variables('vnet')]\"\n        }\n    ]\n}\n";
    // The `type` value of a resource in `text`.
    let at = |text: &str, rtype: &str| {
        let start = text.find(&format!("\"{rtype}\"")).unwrap();
        Span::new(FileId(0), start..start + rtype.len() + 2)
    };
    // A link after the zone, to the VNet, whose name is not known.
    let link = |text: &str| {
        let zone = at(text, "Microsoft.Network/privateDnsZones");
        let link = Link {
            after: zone,
            zone,
            vnet: at(text, "Microsoft.Network/virtualNetworks"),
            vnet_name: None,
            taken: &[],
        };
        json::add_vnet_link(text, link)
    };
    let fixed = applied(text, link(text).unwrap());
    assert!(crate::load::json::parse(&fixed).is_ok(), "{fixed}");
    // The file's four-space indentation, after the zone, its name made from both names.
    assert!(fixed.contains("        },\n        {\n            \"type\": \"Microsoft.Network/privateDnsZones/virtualNetworkLinks\",\n            \"apiVersion\": \"2020-06-01\",\n            \"name\": \"[format('{0}/link-{1}', parameters('zone'), variables('vnet'))]\",\n"), "{fixed}");
    assert!(
        fixed.contains("\"[resourceId('Microsoft.Network/virtualNetworks', variables('vnet'))]\"")
    );
    // A zone deployed under a condition: nothing.
    let conditional = text.replace(
        "\"location\": \"global\"",
        "\"location\": \"global\",\n            \"condition\": \"[parameters('dns')]\"",
    );
    assert!(link(&conditional.replace("condition", "comments")).is_some());
    assert_eq!(link(&conditional), None);
}

#[test]
fn azapi_resources_get_no_azurerm_settings() {
    use crate::source::FileId;
    let header = Span::new(FileId(0), 0..10);
    let declared = |addr: &str| Declared {
        header,
        tf_addr: Some(addr.into()),
    };
    // azapi takes the endpoint's settings in `body`: no azurerm block is added to it.
    let endpoint = "resource \"azapi_resource\" \"pe\" {\n  type = \"Microsoft.Network/privateEndpoints@2023-11-01\"\n}\n";
    let group = Setting::ZoneGroup {
        zone: declared("azurerm_private_dns_zone.acr"),
        endpoint: declared("azapi_resource.pe"),
    };
    assert_eq!(
        add_attribute(endpoint, header, &attribute(&group).unwrap()),
        None
    );
    // An azapi zone has no `resource_group_name` for an azurerm 4 link to name it by; by id it
    // can be linked.
    let zone = "resource \"azapi_resource\" \"zone\" {\n  type = \"Microsoft.Network/privateDnsZones@2024-06-01\"\n}\n";
    let link = Setting::VnetLink {
        zone: declared("azapi_resource.zone"),
        vnet: declared("azurerm_virtual_network.app"),
        vnet_name: None,
        links: Vec::new(),
        taken: Vec::new(),
    };
    assert_eq!(add_vnet_link(zone, header, &link), None);
    let v5 = format!("{zone}# private_dns_zone_id = x\n");
    let edit = add_vnet_link(&v5, header, &link).expect("a link by zone id");
    assert!(
        edit.text
            .contains("private_dns_zone_id = azapi_resource.zone.id"),
        "{}",
        edit.text
    );
}

/// A link the zone has already, to another VNet of the same name (in another group), keeps its
/// name: the one added takes the next free one (the Terraform case is tested above).
#[test]
fn an_added_link_does_not_take_the_name_of_one_the_zone_has() {
    use crate::source::FileId;
    let text = "resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {\n  name: 'privatelink.azurecr.io'\n  location: 'global'\n}\n\nresource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {\n  name: 'vnet-app'\n  location: 'westeurope'\n}\n";
    let zone = Span::new(FileId(0), 0..8);
    let start = text.find("resource vnet").unwrap();
    let vnet = Span::new(FileId(0), start..start + 8);
    let taken = ["Link-Vnet-App".to_string()];
    let link = |taken: &[String]| {
        let link = Link {
            after: zone,
            zone,
            vnet,
            vnet_name: Some("vnet-app"),
            taken,
        };
        applied(text, bicep::add_vnet_link(text, link).unwrap())
    };
    assert!(link(&[]).contains("  name: 'link-vnet-app'\n"));
    let fixed = link(&taken);
    assert!(fixed.contains("  name: 'link-vnet-app-2'\n"), "{fixed}");
}
