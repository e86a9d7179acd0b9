use super::*;

#[test]
fn recognises_plans_by_content() {
    let plan = r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{}}"#;
    assert!(is_plan(plan));
    // Truncated: still a plan (its error is reported).
    assert!(is_plan(
        r#"{"format_version":"1.2","planned_values":{"root_mod"#
    ));
    // A state file is not a plan.
    assert!(!is_plan(
        r#"{"format_version":"1.0","terraform_version":"1.9.0","values":{}}"#
    ));
    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#;
    assert!(!is_plan(template));
    // A plan whose configuration embeds an ARM template is still a plan.
    let embedded =
        r#"{"format_version":"1.2","configuration":{"x":"$schema deploymentTemplate.json"}}"#;
    assert!(is_plan(embedded));
    assert!(!is_plan(r#"{"name": "package", "version": "1.0.0"}"#));
}

fn load_text(text: &str) -> (PlanLoad, SourceMap, FileId) {
    let sources = SourceMap::default();
    let file = sources.add(crate::source::SourceFile::read(
        "tfplan.json".into(),
        text.into(),
    ));
    let load = load(file, &sources, None);
    (load, sources, file)
}

fn body<'l>(load: &'l PlanLoad, addr: &str) -> &'l Node {
    &load
        .loaded
        .resources
        .iter()
        .find(|r| r.addr == addr)
        .unwrap_or_else(|| panic!("no {addr}"))
        .body
}

/// Endpoints made with `for_each`, each pointing at the registry instance with its own key and
/// at a zone made in a module, whose id both are known only after apply.
const KEYED: &str = r#"{
  "format_version": "1.2",
  "variables": {"token": {"value": "s3cret-token"}},
  "planned_values": {"root_module": {
    "resources": [
      {"address": "azurerm_container_registry.acr[\"a\"]", "mode": "managed", "type": "azurerm_container_registry", "name": "acr", "index": "a", "values": {"name": "acra", "sku": "Premium"}},
      {"address": "azurerm_container_registry.acr[\"b\"]", "mode": "managed", "type": "azurerm_container_registry", "name": "acr", "index": "b", "values": {"name": "acrb", "sku": "Premium"}},
      {"address": "azurerm_private_endpoint.pe[\"b\"]", "mode": "managed", "type": "azurerm_private_endpoint", "name": "pe", "index": "b", "values": {"name": "pe-b"}}
    ],
    "child_modules": [{"address": "module.dns[0]", "resources": [
      {"address": "module.dns[0].azurerm_private_dns_zone.this", "mode": "managed", "type": "azurerm_private_dns_zone", "name": "this", "values": {"name": "privatelink.azurecr.io"}}
    ]}]
  }},
  "resource_changes": [
    {"address": "azurerm_private_endpoint.pe[\"b\"]", "type": "azurerm_private_endpoint", "name": "pe", "index": "b",
     "change": {"actions": ["create"], "before": null,
       "after": {"name": "pe-b", "private_service_connection": [{"subresource_names": ["registry"]}], "private_dns_zone_group": [{"name": "default", "private_dns_zone_ids": [null]}], "tags": {"token": "s3cret-token"}},
       "after_unknown": {"private_service_connection": [{"private_connection_resource_id": true}], "private_dns_zone_group": [{"private_dns_zone_ids": [true]}]},
       "after_sensitive": {"tags": {"token": true}}}},
    {"address": "azurerm_container_registry.old", "type": "azurerm_container_registry", "name": "old",
     "change": {"actions": ["delete"], "before": {"name": "old", "sku": "Basic"}, "after": null}}
  ],
  "configuration": {"root_module": {
    "resources": [
      {"address": "azurerm_private_endpoint.pe", "mode": "managed", "type": "azurerm_private_endpoint", "name": "pe",
       "expressions": {
         "private_service_connection": [{"private_connection_resource_id": {"references": ["azurerm_container_registry.acr", "each.key"]}}],
         "private_dns_zone_group": [{"name": {"constant_value": "default"}, "private_dns_zone_ids": {"references": ["module.dns[0].zone_id", "module.dns[0]", "module.dns"]}}]
       }}
    ],
    "module_calls": {"dns": {"source": "./dns", "expressions": {}, "module": {
      "outputs": {"zone_id": {"expression": {"references": ["azurerm_private_dns_zone.this.id", "azurerm_private_dns_zone.this"]}}},
      "resources": [{"address": "azurerm_private_dns_zone.this", "mode": "managed", "type": "azurerm_private_dns_zone", "name": "this", "expressions": {"name": {"constant_value": "privatelink.azurecr.io"}}}]
    }}},
    "variables": {"token": {"sensitive": true}}
  }}
}"#;

fn reference(node: &Node) -> (&str, Vec<&str>) {
    match &node.value {
        Value::Ref(r) => (&r.addr, r.attr.iter().map(String::as_str).collect()),
        other => panic!("not a reference: {other:?}"),
    }
}

#[test]
fn values_known_after_apply_follow_the_configuration_references() {
    let (load, _, _) = load_text(KEYED);
    assert!(load.loaded.errors.is_empty(), "{:?}", load.loaded.errors);
    assert!(load.warnings.is_empty(), "{:?}", load.warnings);
    let pe = body(&load, r#"azurerm_private_endpoint.pe["b"]"#);
    let target = pe
        .path(&["private_service_connection"])
        .and_then(|c| match &c.value {
            Value::List(items) => items[0].get("private_connection_resource_id"),
            _ => None,
        })
        .unwrap();
    // The instance with the endpoint's own key (`each.key`).
    assert_eq!(
        reference(target),
        (r#"azurerm_container_registry.acr["b"]"#, vec!["id"])
    );
    // Through the module instance's output.
    let zone = match &pe.get("private_dns_zone_group").unwrap().value {
        Value::List(groups) => match &groups[0].get("private_dns_zone_ids").unwrap().value {
            Value::List(ids) => ids[0].clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reference(&zone),
        ("module.dns[0].azurerm_private_dns_zone.this", vec!["id"])
    );
    // The deleted registry is not loaded.
    assert!(load
        .loaded
        .resources
        .iter()
        .all(|r| r.addr != "azurerm_container_registry.old"));
    assert_eq!(load.loaded.resources.len(), 4);
}

#[test]
fn sensitive_values_are_unknown_and_masked_in_the_text_shown() {
    let (load, sources, file) = load_text(KEYED);
    let pe = body(&load, r#"azurerm_private_endpoint.pe["b"]"#);
    let token = pe.path(&["tags", "token"]).unwrap();
    assert!(
        matches!(&token.value, Value::Unknown(u) if u.reason.contains("sensitive")),
        "{token:?}"
    );
    let shown = sources.get(file).text.clone();
    assert!(!shown.contains("s3cret-token"), "{shown}");
    assert_eq!(shown.len(), KEYED.len());
    assert_eq!(shown.lines().count(), KEYED.lines().count());
}

#[test]
fn bad_plans_are_errors_or_warnings() {
    // Truncated: an error entry where the JSON breaks off.
    let (load, _, _) = load_text(&KEYED[..KEYED.len() / 2]);
    assert_eq!(load.loaded.errors.len(), 1);
    assert!(load.loaded.errors[0]
        .message
        .contains("invalid JSON in Terraform plan"));
    // A format of an unknown major: read, with a warning.
    let (load, _, _) = load_text(&KEYED.replace("\"1.2\"", "\"7.0\""));
    assert!(load.loaded.errors.is_empty());
    assert_eq!(load.loaded.resources.len(), 4);
    assert!(load.warnings[0].contains("7.0"), "{:?}", load.warnings);
    // Any minor of a known major: read silently.
    let (load, _, _) = load_text(&KEYED.replace("\"1.2\"", "\"1.9\""));
    assert!(load.warnings.is_empty(), "{:?}", load.warnings);
}
