use super::*;
use crate::load::{Mode, Resource};
use crate::value::Node;

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const RG: &str =
    "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}";

fn load_with(text: &str, opts: &ArmOptions) -> (Loaded, SourceMap, FileId) {
    let sources = SourceMap::default();
    let id = sources.add(SourceFile::new(
        "virtual/t.json".into(),
        "t.json".into(),
        Arc::from(text),
    ));
    let loaded = load_template(id, &sources, opts);
    (loaded, sources, id)
}

fn load(text: &str) -> Loaded {
    load_with(text, &ArmOptions::default()).0
}

/// A template with the given `parameters`, `variables` and `resources` JSON.
fn template(params: &str, vars: &str, resources: &str) -> String {
    format!(
        r#"{{"$schema": "{SCHEMA}", "contentVersion": "1.0.0.0",
            "parameters": {params}, "variables": {vars}, "resources": {resources}}}"#
    )
}

fn find<'a>(l: &'a Loaded, addr: &str) -> &'a Resource {
    l.resources
        .iter()
        .find(|r| r.addr == addr)
        .unwrap_or_else(|| {
            let addrs: Vec<&str> = l.resources.iter().map(|r| r.addr.as_str()).collect();
            panic!("no resource {addr}; have {addrs:?}; errors {:?}", l.errors)
        })
}

fn at<'a>(r: &'a Resource, path: &str) -> &'a Node {
    let keys: Vec<&str> = path.split('.').collect();
    r.body
        .path(&keys)
        .unwrap_or_else(|| panic!("{} has no {path}: {:?}", r.addr, r.body))
}

fn text_of(l: &Loaded, r: &Resource, path: &str) -> Value {
    let _ = l;
    at(r, path).value.clone()
}

/// A string value as users read it: `{expr}` is a deployment-time term.
fn s(x: &str) -> Value {
    Value::text(crate::symbolic::from_display(x))
}

const CLASSIC: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // ARM allows comments.
  "parameters": {
    "acrName": { "type": "string", "defaultValue": "contosoacr" },
    "sku": { "type": "string", "defaultValue": "[if(equals(parameters('acrName'), 'contosoacr'), 'Premium', 'Basic')]" },
    "peName": { "type": "string", "defaultValue": "pe-acr" }
  },
  "variables": {
    "zone": "[format('privatelink{0}', environment().suffixes.acrLoginServer)]"
  },
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "[parameters('acrName')]",
      "location": "[resourceGroup().location]",
      "sku": { "name": "[parameters('sku')]" },
      "properties": { "publicNetworkAccess": "Disabled", "adminUserEnabled": false, "dataEndpointEnabled": null }
    },
    {
      "type": "Microsoft.Network/privateEndpoints",
      "apiVersion": "2024-05-01",
      "name": "[parameters('peName')]",
      "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]" },
        "privateLinkServiceConnections": [ { "name": "acr", "properties": {
          "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', parameters('acrName'))]",
          "groupIds": [ "registry" ] } } ]
      }
    },
    {
      "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
      "apiVersion": "2024-05-01",
      "name": "[format('{0}/{1}', parameters('peName'), 'default')]",
      "properties": { "privateDnsZoneConfigs": [ { "name": "acr", "properties": {
        "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', variables('zone'))]" } } ] }
    }
  ]
}"#;

#[test]
fn classic_template() {
    let (l, sources, file) = load_with(CLASSIC, &ArmOptions::default());
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.resources.len(), 3);
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/contosoacr");
    assert_eq!(acr.rtype, "Microsoft.ContainerRegistry/registries");
    assert_eq!(acr.mode, Mode::Managed);
    assert_eq!(
        acr.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(&*format!(
            "{RG}/providers/Microsoft.ContainerRegistry/registries/contosoacr"
        ))
    );
    let text = sources.get(file).text.clone();
    let slice = |span: crate::source::Span| &text[span.start as usize..span.end as usize];
    assert_eq!(
        slice(acr.header),
        "\"Microsoft.ContainerRegistry/registries\""
    );
    assert_eq!(text_of(&l, acr, "sku.name"), s("Premium"));
    // An expression's value is spanned at the JSON string holding it.
    assert_eq!(
        slice(at(acr, "sku.name").span.unwrap()),
        "\"[parameters('sku')]\""
    );
    assert_eq!(text_of(&l, acr, "name"), s("contosoacr"));
    assert_eq!(
        text_of(&l, acr, "properties.publicNetworkAccess"),
        s("Disabled")
    );
    assert_eq!(
        slice(at(acr, "properties.publicNetworkAccess").span.unwrap()),
        "\"Disabled\""
    );
    assert_eq!(
        text_of(&l, acr, "properties.adminUserEnabled"),
        Value::Bool(false)
    );
    assert_eq!(
        text_of(&l, acr, "properties.dataEndpointEnabled"),
        Value::Null
    );
    assert_eq!(
        text_of(&l, acr, "location"),
        s("{resourceGroup().location}")
    );

    let pe = find(&l, "Microsoft.Network/privateEndpoints/pe-acr");
    let conns = at(pe, "properties.privateLinkServiceConnections");
    let Value::List(items) = &conns.value else {
        panic!()
    };
    let target = items[0]
        .path(&["properties", "privateLinkServiceId"])
        .unwrap();
    assert_eq!(target.value.as_str(), acr.id.as_deref());
    assert_eq!(
        text_of(&l, pe, "properties.subnet.id"),
        s(&format!(
            "{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"
        ))
    );

    let group = find(
        &l,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/pe-acr/default",
    );
    assert_eq!(
        group.rtype,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
    );
    assert_eq!(text_of(&l, group, "name"), s("pe-acr/default"));
    assert_eq!(
        group.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(&*format!(
            "{RG}/providers/Microsoft.Network/privateEndpoints/pe-acr/privateDnsZoneGroups/default"
        ))
    );
    let Value::List(configs) = &at(group, "properties.privateDnsZoneConfigs").value else {
        panic!()
    };
    assert_eq!(
        configs[0]
            .path(&["properties", "privateDnsZoneId"])
            .unwrap()
            .value,
        s(&format!(
            "{RG}/providers/Microsoft.Network/privateDnsZones/privatelink{{environment().suffixes.acrLoginServer}}"
        ))
    );
}

#[test]
fn symbolic_templates_and_existing_resources() {
    let text = format!(
        r#"{{"$schema": "{SCHEMA}", "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "resources": {{
          "zone": {{ "existing": true, "type": "Microsoft.Network/privateDnsZones",
                    "apiVersion": "2020-06-01", "name": "privatelink.azurecr.io",
                    "subscriptionId": "hubsub", "resourceGroup": "hub-rg" }},
          "acr": {{ "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
                   "name": "acr1", "sku": {{ "name": "Standard" }},
                   "properties": {{ "publicNetworkAccess": "[reference('zone').x]" }} }},
          "link": {{ "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                    "apiVersion": "2020-06-01", "name": "[format('{{0}}/{{1}}', 'privatelink.azurecr.io', 'l')]",
                    "properties": {{ "virtualNetwork": {{ "id": "[resourceId('Microsoft.Network/virtualNetworks', 'v')]" }} }},
                    "dependsOn": [ "zone" ] }}
        }}}}"#
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let zone = find(
        &l,
        "Microsoft.Network/privateDnsZones/privatelink.azurecr.io",
    );
    assert_eq!(zone.mode, Mode::Existing);
    assert_eq!(
        zone.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some("/subscriptions/hubsub/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io")
    );
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr1");
    assert_eq!(acr.mode, Mode::Managed);
    let Value::Unknown(u) = &at(acr, "properties.publicNetworkAccess").value else {
        panic!()
    };
    assert_eq!(u.depends_on, "reference('zone')");
    find(
        &l,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks/privatelink.azurecr.io/l",
    );
}

#[test]
fn nested_child_resources_compose_type_and_name() {
    let text = template(
        "{}",
        "{}",
        r#"[{ "type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01", "name": "pe1",
              "properties": {},
              "resources": [
                { "type": "privateDnsZoneGroups", "apiVersion": "2024-05-01", "name": "default",
                  "properties": { "privateDnsZoneConfigs": [] } }
              ] },
            { "type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.azurecr.io",
              "resources": [
                { "type": "virtualNetworkLinks", "name": "link1",
                  "resources": [ { "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks/deeper", "name": "d" } ] },
                { "type": "Microsoft.Network/privateDnsZones/A", "name": "privatelink.azurecr.io/acr1" }
              ] }]"#,
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let g = find(
        &l,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/pe1/default",
    );
    assert_eq!(
        g.rtype,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
    );
    assert_eq!(
        g.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(&*format!(
            "{RG}/providers/Microsoft.Network/privateEndpoints/pe1/privateDnsZoneGroups/default"
        ))
    );
    assert_eq!(text_of(&l, g, "name"), s("pe1/default"));
    assert_eq!(
        text_of(&l, g, "type"),
        s("Microsoft.Network/privateEndpoints/privateDnsZoneGroups")
    );
    // The parent's body does not include its children.
    assert!(find(&l, "Microsoft.Network/privateEndpoints/pe1")
        .body
        .get("resources")
        .is_none());
    find(
        &l,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks/privatelink.azurecr.io/link1",
    );
    find(&l, "Microsoft.Network/privateDnsZones/virtualNetworkLinks/deeper/privatelink.azurecr.io/link1/d");
    find(
        &l,
        "Microsoft.Network/privateDnsZones/A/privatelink.azurecr.io/acr1",
    );
}

#[test]
fn conditions() {
    let text = template(
        r#"{ "deploy": { "type": "bool", "defaultValue": false }, "unknown": { "type": "bool" } }"#,
        "{}",
        r#"[{ "condition": "[parameters('deploy')]", "type": "Microsoft.ContainerRegistry/registries", "name": "off",
              "resources": [ { "type": "replications", "name": "westus" } ] },
            { "condition": "[not(parameters('deploy'))]", "type": "Microsoft.ContainerRegistry/registries", "name": "on" },
            { "condition": "[parameters('unknown')]", "type": "Microsoft.ContainerRegistry/registries", "name": "maybe" }]"#,
    );
    let l = load(&text);
    let addrs: Vec<&str> = l.resources.iter().map(|r| r.addr.as_str()).collect();
    assert_eq!(
        addrs,
        [
            "Microsoft.ContainerRegistry/registries/on",
            "Microsoft.ContainerRegistry/registries/maybe"
        ]
    );
}

#[test]
fn resource_copy_loops() {
    let text = template(
        r#"{ "names": { "type": "array", "defaultValue": ["a", "b"] }, "n": { "type": "int" } }"#,
        "{}",
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "[format('acr{0}', copyIndex(1))]",
              "copy": { "name": "regs", "count": 2 },
              "properties": { "tag": "[parameters('names')[copyIndex('regs')]]" } },
            { "type": "Microsoft.Network/privateEndpoints", "name": "[concat('pe-', parameters('names')[copyIndex()])]",
              "copy": { "name": "pes", "count": "[length(parameters('names'))]" } },
            { "type": "Microsoft.Network/privateDnsZones", "name": "[concat('z', copyIndex())]",
              "copy": { "name": "zones", "count": "[parameters('n')]" } },
            { "type": "Microsoft.Network/privateDnsZones", "name": "none",
              "copy": { "name": "zero", "count": 0 } }]"#,
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let a1 = find(&l, "Microsoft.ContainerRegistry/registries/acr1");
    assert_eq!(text_of(&l, a1, "properties.tag"), s("a"));
    let a2 = find(&l, "Microsoft.ContainerRegistry/registries/acr2");
    assert_eq!(text_of(&l, a2, "properties.tag"), s("b"));
    assert!(a2.body.get("copy").is_none());
    find(&l, "Microsoft.Network/privateEndpoints/pe-a");
    find(&l, "Microsoft.Network/privateEndpoints/pe-b");
    // Unknown count: one representative instance whose index-dependent values are unknown.
    let z = find(
        &l,
        "Microsoft.Network/privateDnsZones/[concat('z', copyIndex())]",
    );
    let Value::Unknown(u) = &at(z, "name").value else {
        panic!()
    };
    assert_eq!(u.depends_on, "parameters('n')");
    assert_eq!(z.id, None);
    assert!(!l.resources.iter().any(|r| r.addr.ends_with("/none")));
    assert_eq!(l.resources.len(), 5);
}

#[test]
fn copy_counts_are_capped() {
    let text = template(
        "{}",
        "{}",
        r#"[{ "type": "Microsoft.Network/privateDnsZones", "name": "[concat('z', copyIndex())]",
              "copy": { "name": "many", "count": 100000000 } }]"#,
    );
    let l = load(&text);
    assert!(l.resources.is_empty());
    assert_eq!(l.errors.len(), 1);
    assert!(
        l.errors[0].message.contains("exceeds the limit"),
        "{:?}",
        l.errors
    );
    // Nested loops across nested deployments stay within the instance cap.
    let inner = r#"{"$schema": "x/deploymentTemplate.json#", "resources": [
        { "type": "Microsoft.Network/privateDnsZones", "name": "[concat('z', copyIndex())]",
          "copy": { "name": "a", "count": 10000 } } ] }"#;
    let text = template(
        "{}",
        "{}",
        &format!(
            r#"[{{ "type": "Microsoft.Resources/deployments", "name": "[concat('d', copyIndex())]",
                  "copy": {{ "name": "d", "count": 10000 }},
                  "properties": {{ "mode": "Incremental", "template": {inner} }} }}]"#
        ),
    );
    let l = load(&text);
    assert!(l.resources.len() <= crate::limits::Limits::DEFAULT.instances + 10_000);
    assert!(l
        .errors
        .iter()
        .any(|e| e.message.contains("resource instances")));
}

#[test]
fn property_and_variable_copy() {
    let text = template(
        r#"{ "ips": { "type": "array", "defaultValue": ["1.2.3.4", "5.6.7.0/24"] } }"#,
        r#"{ "copy": [ { "name": "subnets", "count": 2, "input": "[concat('sn', copyIndex('subnets'))]" } ],
             "first": "[variables('subnets')[0]]" }"#,
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr",
              "properties": {
                "networkRuleSet": {
                  "defaultAction": "Deny",
                  "copy": [ { "name": "ipRules", "count": "[length(parameters('ips'))]",
                              "input": { "action": "Allow", "value": "[parameters('ips')[copyIndex('ipRules')]]" } } ]
                },
                "tags": { "[string('copy')]": "[variables('first')]", "all": "[variables('subnets')]" }
              } }]"#,
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr");
    let Value::List(rules) = &at(acr, "properties.networkRuleSet.ipRules").value else {
        panic!("{:?}", acr.body)
    };
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].get("value").unwrap().value, s("5.6.7.0/24"));
    assert_eq!(rules[0].get("action").unwrap().value, s("Allow"));
    assert!(at(acr, "properties.networkRuleSet").get("copy").is_none());
    // A key written as an expression is evaluated.
    assert_eq!(text_of(&l, acr, "properties.tags.copy"), s("sn0"));
    let Value::List(all) = text_of(&l, acr, "properties.tags.all") else {
        panic!()
    };
    assert_eq!(all.len(), 2);
}

fn nested(scope: &str, extra: &str) -> String {
    let inner = format!(
        r#"{{ "$schema": "{SCHEMA}", "contentVersion": "1.0.0.0",
            "parameters": {{ "sku": {{ "type": "string", "defaultValue": "Basic" }},
                             "name": {{ "type": "string", "defaultValue": "innerdefault" }} }},
            "variables": {{ "v": "inner-var" }},
            "resources": [ {{ "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
                              "name": "[parameters('name')]", "sku": {{ "name": "[parameters('sku')]" }},
                              "properties": {{ "note": "[variables('v')]",
                                               "rg": "[resourceGroup().name]" }} }} ],
            "outputs": {{ "acrId": {{ "type": "string",
                          "value": "[resourceId('Microsoft.ContainerRegistry/registries', parameters('name'))]" }} }} }}"#
    );
    template(
        r#"{ "sku": { "type": "string", "defaultValue": "Premium" }, "name": { "type": "string", "defaultValue": "outeracr" } }"#,
        r#"{ "v": "outer-var" }"#,
        &format!(
            r#"[{{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "deploy-acr",
                  {extra}
                  "properties": {{ {scope} "mode": "Incremental",
                    "parameters": {{ "sku": {{ "value": "[parameters('sku')]" }} }},
                    "template": {inner} }} }},
                {{ "type": "Microsoft.Network/privateEndpoints", "name": "pe",
                  "properties": {{ "privateLinkServiceConnections": [ {{ "name": "c", "properties": {{
                    "privateLinkServiceId": "[reference(resourceId('Microsoft.Resources/deployments', 'deploy-acr'), '2022-09-01').outputs.acrId.value]" }} }} ] }} }}]"#
        ),
    )
}

#[test]
fn nested_deployment_inner_scope() {
    let text = nested(
        r#""expressionEvaluationOptions": { "scope": "inner" },"#,
        "",
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let acr = find(
        &l,
        "deploy-acr/Microsoft.ContainerRegistry/registries/innerdefault",
    );
    // The passed parameter (evaluated in the parent) wins over the inner default.
    assert_eq!(text_of(&l, acr, "sku.name"), s("Premium"));
    assert_eq!(text_of(&l, acr, "properties.note"), s("inner-var"));
    let id = format!("{RG}/providers/Microsoft.ContainerRegistry/registries/innerdefault");
    assert_eq!(
        acr.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(&*id)
    );
    // The deployment itself is a resource, without its inner template in the body.
    let d = find(&l, "Microsoft.Resources/deployments/deploy-acr");
    assert!(at(d, "properties").get("template").is_none());
    assert_eq!(
        text_of(&l, d, "properties.parameters.sku.value"),
        s("Premium")
    );
    // Outputs flow back through reference(...).outputs.
    let pe = find(&l, "Microsoft.Network/privateEndpoints/pe");
    let Value::List(c) = &at(pe, "properties.privateLinkServiceConnections").value else {
        panic!()
    };
    assert_eq!(
        c[0].path(&["properties", "privateLinkServiceId"])
            .unwrap()
            .value,
        s(&id)
    );
}

#[test]
fn nested_deployment_outer_scope_and_target_group() {
    // No expressionEvaluationOptions: outer scope, the parent's parameters and variables.
    let text = nested("", r#""resourceGroup": "other-rg","#);
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let acr = find(
        &l,
        "deploy-acr/Microsoft.ContainerRegistry/registries/outeracr",
    );
    assert_eq!(text_of(&l, acr, "sku.name"), s("Premium"));
    assert_eq!(text_of(&l, acr, "properties.note"), s("outer-var"));
    // Outer scope: resourceGroup() is the parent's, but the resource is deployed to other-rg.
    assert_eq!(
        text_of(&l, acr, "properties.rg"),
        s("{resourceGroup().name}")
    );
    assert_eq!(
        acr.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some("/subscriptions/{subscription().subscriptionId}/resourceGroups/other-rg/providers/Microsoft.ContainerRegistry/registries/outeracr")
    );

    let text = nested(
        r#""expressionEvaluationOptions": { "scope": "Inner" },"#,
        r#""resourceGroup": "other-rg","#,
    );
    let l = load(&text);
    let acr = find(
        &l,
        "deploy-acr/Microsoft.ContainerRegistry/registries/innerdefault",
    );
    assert_eq!(text_of(&l, acr, "properties.rg"), s("other-rg"));
}

#[test]
fn nested_deployments_recurse_with_a_depth_cap() {
    let mut inner = format!(
        r#"{{"$schema": "{SCHEMA}", "resources": [ {{ "type": "Microsoft.Network/privateDnsZones", "name": "z" }} ]}}"#
    );
    for i in 0..40 {
        inner = format!(
            r#"{{"$schema": "{SCHEMA}", "resources": [ {{ "type": "Microsoft.Resources/deployments", "name": "d{i}",
                 "properties": {{ "expressionEvaluationOptions": {{ "scope": "inner" }}, "template": {inner} }} }} ]}}"#
        );
    }
    let l = load(&inner);
    assert!(l.errors.iter().any(|e| e.message.contains("deeper than")));
    assert!(l
        .resources
        .iter()
        .any(|r| r.addr.starts_with("d39/d38/d37/")));
    // Two levels: addresses carry both deployment names.
    let two = format!(
        r#"{{"$schema": "{SCHEMA}", "resources": [ {{ "type": "Microsoft.Resources/deployments", "name": "outer",
             "properties": {{ "template": {{"resources": [ {{ "type": "Microsoft.Resources/deployments", "name": "inner",
                "properties": {{ "template": {{"resources": [ {{ "type": "Microsoft.Network/privateDnsZones", "name": "z" }} ]}} }} }} ]}} }} }} ]}}"#
    );
    let l = load(&two);
    find(&l, "outer/inner/Microsoft.Network/privateDnsZones/z");
}

#[test]
fn linked_templates_give_no_resources() {
    let text = template(
        "{}",
        "{}",
        r#"[{ "type": "Microsoft.Resources/deployments", "name": "linked",
              "properties": { "templateLink": { "uri": "https://example.com/t.json" } } }]"#,
    );
    let l = load(&text);
    assert!(l.errors.is_empty());
    assert_eq!(l.resources.len(), 1);
}

#[test]
fn parameters_without_value_are_unknown() {
    let text = template(
        r#"{ "pna": { "type": "string" } }"#,
        "{}",
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr",
              "properties": { "publicNetworkAccess": "[parameters('pna')]" } }]"#,
    );
    let l = load(&text);
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr");
    let Value::Unknown(u) = &at(acr, "properties.publicNetworkAccess").value else {
        panic!()
    };
    assert_eq!(u.depends_on, "parameters('pna')");
    assert_eq!(
        u.reason,
        "has no default value (give it in a parameter file or with --parameters)"
    );
}

#[test]
fn parameter_files_override_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.json");
    let text = template(
        r#"{ "pna": { "type": "string", "defaultValue": "Disabled" }, "sku": { "type": "string" },
             "secret": { "type": "securestring" }, "other": { "type": "string", "defaultValue": "d" } }"#,
        "{}",
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr", "sku": { "name": "[parameters('sku')]" },
              "properties": { "publicNetworkAccess": "[parameters('pna')]", "s": "[parameters('secret')]",
                              "o": "[parameters('other')]" } }]"#,
    );
    std::fs::write(&main, &text).unwrap();
    std::fs::write(
        dir.path().join("main.parameters.json"),
        r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
             "parameters": { "pna": { "value": "Enabled" }, "sku": { "value": "Standard" },
                             "secret": { "reference": { "keyVault": { "id": "/x" }, "secretName": "s" } } } }"#,
    )
    .unwrap();
    let explicit = dir.path().join("prod.json");
    std::fs::write(
        &explicit,
        r#"{ "parameters": { "sku": { "value": "Premium" } } }"#,
    )
    .unwrap();

    let sources = SourceMap::default();
    let id = sources.add(SourceFile::new(
        main.clone(),
        "main.json".into(),
        Arc::from(text.as_str()),
    ));
    let l = load_template(id, &sources, &ArmOptions::default());
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr");
    assert_eq!(
        text_of(&l, acr, "properties.publicNetworkAccess"),
        s("Enabled")
    );
    assert_eq!(text_of(&l, acr, "sku.name"), s("Standard"));
    assert_eq!(text_of(&l, acr, "properties.o"), s("d"));
    let Value::Unknown(u) = &at(acr, "properties.s").value else {
        panic!()
    };
    assert!(u.reason.contains("Key Vault"));
    // The parameter file joined the source map.
    let pid = sources
        .find(&dir.path().join("main.parameters.json"))
        .unwrap();
    assert_eq!(sources.get(pid).display(), "main.parameters.json");

    // --parameters applies after the conventional file.
    let opts = ArmOptions {
        parameter_files: vec![explicit, dir.path().join("missing.json")],
    };
    let l = load_template(id, &sources, &opts);
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr");
    assert_eq!(text_of(&l, acr, "sku.name"), s("Premium"));
    assert_eq!(l.errors.len(), 1);
    assert!(l.errors[0].message.contains("missing.json"));
}

#[test]
fn cycles_and_deep_chains_stay_bounded() {
    let text = template(
        r#"{ "p": { "type": "string", "defaultValue": "[parameters('p')]" } }"#,
        r#"{ "a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]" }"#,
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr",
              "properties": { "a": "[variables('a')]", "p": "[parameters('p')]" } }]"#,
    );
    let l = load(&text);
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr");
    assert!(matches!(at(acr, "properties.a").value, Value::Unknown(_)));
    assert!(matches!(at(acr, "properties.p").value, Value::Unknown(_)));

    // A chain of 3,000 variables, evaluated on a thread with a 2 MiB stack (rayon's default).
    let vars: Vec<String> = (0..3000)
        .map(|i| format!(r#""v{i}": "[toLower(variables('v{}'))]""#, i + 1))
        .collect();
    let text = template(
        "{}",
        &format!("{{ {}, \"v3000\": \"END\" }}", vars.join(",")),
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr", "properties": { "x": "[variables('v0')]" } }]"#,
    );
    let l = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || load(&text))
        .unwrap()
        .join()
        .unwrap();
    let acr = find(&l, "Microsoft.ContainerRegistry/registries/acr");
    assert!(matches!(at(acr, "properties.x").value, Value::Unknown(_)));
}

#[test]
fn bad_input_gives_errors_without_resources() {
    let l = load("{ \"$schema\": \"x\", \"resources\": [ { \"type\": ");
    assert!(l.resources.is_empty());
    assert_eq!(l.errors.len(), 1);
    assert!(l.errors[0].span.is_some());

    let deep = format!("{{\"resources\": {}", "[".repeat(300_000));
    let l = load(&deep);
    assert!(l.resources.is_empty());
    assert!(l.errors[0].message.contains("nested too deeply"));

    let garbage: String = (0u8..=255).cycle().take(10_000).map(char::from).collect();
    let l = load(&garbage);
    assert!(l.resources.is_empty());
    assert_eq!(l.errors.len(), 1);

    // Wrong shapes are tolerated.
    let l = load(&template("[]", "3", r#"[1, "x", { "name": "no type" }]"#));
    assert!(l.resources.is_empty());
    assert_eq!(l.errors.len(), 3);
    let l = load("[1, 2]");
    assert_eq!(l.errors.len(), 1);

    // A syntax error in one expression is reported where it is, and the rest still loads.
    let l = load(&template(
        "{}",
        "{}",
        r#"[{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr", "properties": { "x": "[concat('a']" } }]"#,
    ));
    assert_eq!(l.resources.len(), 1);
    assert_eq!(l.errors.len(), 1);
    assert!(l.errors[0].message.contains("invalid template expression"));
}

#[test]
fn members_read_while_planning_are_evaluated_once() {
    // `condition`, `subscriptionId`, `resourceGroup` and `scope` decide the plan and the id, and
    // stay in the body with the same values; a syntax error in them is reported once.
    let l = load(&template(
        r#"{ "on": { "type": "bool", "defaultValue": true } }"#,
        "{}",
        r#"[{ "type": "Microsoft.Network/privateDnsZones", "name": "z",
              "condition": "[or(parameters('on'), bad(]",
              "subscriptionId": "[concat('s',]",
              "resourceGroup": "[concat('rg-', 'a')]",
              "scope": "[concat('/x',]" },
            { "type": "Microsoft.Network/privateDnsZones", "name": "y", "condition": "[parameters('on')]",
              "scope": "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]" }]"#,
    ));
    assert_eq!(l.errors.len(), 3, "{:?}", l.errors);
    let z = find(&l, "Microsoft.Network/privateDnsZones/z");
    assert!(matches!(at(z, "condition").value, Value::Unknown(_)));
    assert!(matches!(at(z, "subscriptionId").value, Value::Unknown(_)));
    assert_eq!(at(z, "resourceGroup").value, s("rg-a"));
    assert!(matches!(at(z, "scope").value, Value::Unknown(_)));
    assert_eq!(z.id, None);
    let y = find(&l, "Microsoft.Network/privateDnsZones/y");
    assert_eq!(at(y, "condition").value, Value::Bool(true));
    let acr = format!("{RG}/providers/Microsoft.ContainerRegistry/registries/acr");
    assert_eq!(at(y, "scope").value, s(&acr));
    assert_eq!(
        y.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(format!("{acr}/providers/Microsoft.Network/privateDnsZones/y").as_str())
    );
}

#[test]
fn user_defined_functions_and_extension_resources() {
    let text = format!(
        r#"{{"$schema": "{SCHEMA}",
        "functions": [ {{ "namespace": "contoso", "members": {{ "acrName": {{
            "parameters": [ {{ "name": "env", "type": "string" }} ],
            "output": {{ "type": "string", "value": "[concat('acr', toLower(parameters('env')))]" }} }} }} }} ],
        "resources": [
          {{ "type": "Microsoft.ContainerRegistry/registries", "name": "[contoso.acrName('PROD')]" }},
          {{ "type": "Microsoft.Authorization/locks", "name": "lock",
             "scope": "[resourceId('Microsoft.ContainerRegistry/registries', 'acrprod')]" }},
          {{ "type": "Microsoft.Authorization/roleAssignments", "name": "[guid('a', 'b')]",
             "scope": "Microsoft.ContainerRegistry/registries/acrprod" }}
        ]}}"#
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    find(&l, "Microsoft.ContainerRegistry/registries/acrprod");
    let lock = find(&l, "Microsoft.Authorization/locks/lock");
    assert_eq!(
        lock.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(&*format!(
            "{RG}/providers/Microsoft.ContainerRegistry/registries/acrprod/providers/Microsoft.Authorization/locks/lock"
        ))
    );
    let ra = &l.resources[2];
    assert_eq!(
        ra.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some(&*format!(
            "{RG}/providers/Microsoft.ContainerRegistry/registries/acrprod/providers/Microsoft.Authorization/roleAssignments/2d796349-8c7e-55ec-9624-54ece82ed031"
        ))
    );
}

#[test]
fn subscription_scope_templates() {
    let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
      "resources": [ { "type": "Microsoft.Resources/resourceGroups", "name": "rg1" },
        { "type": "Microsoft.Resources/deployments", "name": "m", "resourceGroup": "rg1",
          "properties": { "expressionEvaluationOptions": { "scope": "inner" },
            "template": { "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "resources": [ { "type": "Microsoft.ContainerRegistry/registries", "name": "acr",
                               "properties": { "rgId": "[resourceGroup().id]" } } ] } } } ] }"#;
    let l = load(text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(
        find(&l, "Microsoft.Resources/resourceGroups/rg1")
            .id
            .as_deref()
            .map(crate::symbolic::display)
            .as_deref(),
        Some("/subscriptions/{subscription().subscriptionId}/providers/Microsoft.Resources/resourceGroups/rg1")
    );
    let acr = find(&l, "m/Microsoft.ContainerRegistry/registries/acr");
    assert_eq!(
        acr.id.as_deref().map(crate::symbolic::display).as_deref(),
        Some("/subscriptions/{subscription().subscriptionId}/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/acr")
    );
    assert_eq!(
        text_of(&l, acr, "properties.rgId"),
        s("/subscriptions/{subscription().subscriptionId}/resourceGroups/rg1")
    );
}

#[test]
fn recognises_templates_and_parameter_files() {
    assert!(is_template(CLASSIC));
    assert!(is_template(
        r#"{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}"#
    ));
    assert!(is_template(
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"}"#
    ));
    // Broken, but still a template (so the error is reported).
    assert!(is_template(
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "#
    ));
    assert!(!is_template(r#"{"name": "package", "version": "1.0.0"}"#));
    assert!(!is_template("\u{0}\u{1}binary"));
    let params = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}"#;
    assert!(is_parameter_file(params));
    assert!(!is_template(params));
    assert!(!is_parameter_file(CLASSIC));
}

#[test]
fn symbolic_module_outputs() {
    let text = format!(
        r#"{{"$schema": "{SCHEMA}", "languageVersion": "2.0",
        "resources": {{
          "registry": {{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
            "name": "[format('registry-{{0}}', uniqueString('registry', deployment().name))]",
            "properties": {{ "expressionEvaluationOptions": {{ "scope": "inner" }}, "mode": "Incremental",
              "template": {{ "$schema": "{SCHEMA}", "languageVersion": "2.0",
                "resources": {{ "acr": {{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr1" }} }},
                "outputs": {{ "id": {{ "type": "string", "value": "[resourceId('Microsoft.ContainerRegistry/registries', 'acr1')]" }} }} }} }} }},
          "pe": {{ "type": "Microsoft.Network/privateEndpoints", "name": "pe",
            "properties": {{ "target": "[reference('registry').outputs.id.value]" }} }}
        }}}}"#
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let acr = find(&l, "registry/Microsoft.ContainerRegistry/registries/acr1");
    let pe = find(&l, "Microsoft.Network/privateEndpoints/pe");
    assert_eq!(
        at(pe, "properties.target").value.as_str(),
        acr.id.as_deref()
    );
}

#[test]
fn deep_bodies_stay_within_a_small_stack() {
    let depth = crate::limits::Limits::DEFAULT.json_depth - 4;
    let body = format!(
        "{}\"[toLower(concat(variables('v'), 'X'))]\"{}",
        "{\"a\": ".repeat(depth),
        "}".repeat(depth)
    );
    let text = template(
        "{}",
        r#"{ "v": "[createObject('k', createArray(json('[[[[1]]]]')))]" }"#,
        &format!(
            r#"[{{ "type": "Microsoft.ContainerRegistry/registries", "name": "acr", "properties": {body} }}]"#
        ),
    );
    let l = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || load(&text))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(l.resources.len(), 1);
}

#[test]
fn a_resource_deployed_again_is_one_resource_as_last_deployed() {
    // Deployments of one inner template in a row (a module in a loop), each with its own SKU and
    // condition for the registry.
    let registries = |count: usize, condition: &str| {
        let inner = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"deployIt": {"type": "bool"}, "sku": {"type": "string"}},
            "resources": [{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01",
                "name": "acr1", "location": "westeurope", "sku": {"name": "[parameters('sku')]"},
                "condition": "[parameters('deployIt')]"}]}"#;
        let resources = format!(
            r#"[{{"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01",
                "name": "[format('m-{{0}}', copyIndex())]",
                "copy": {{"name": "m", "count": {count}, "mode": "serial", "batchSize": 1}},
                "properties": {{"mode": "Incremental", "expressionEvaluationOptions": {{"scope": "inner"}},
                    "parameters": {{"deployIt": {{"value": "{condition}"}},
                        "sku": {{"value": "[createArray('Basic', 'Standard', 'Premium')[copyIndex()]]"}}}},
                    "template": {inner}}}}}]"#
        );
        let l = load(&template(
            r#"{"maybe": {"type": "bool"}}"#,
            "{}",
            &resources,
        ));
        l.resources
            .iter()
            .filter(|r| r.rtype == "Microsoft.ContainerRegistry/registries")
            .map(|r| (at(r, "sku.name").value.clone(), r.existence.is_none()))
            .collect::<Vec<_>>()
    };
    let certain = |sku: &str| (Value::text(sku), true);
    let maybe = |sku: &str| (Value::text(sku), false);
    // Deployed three times for certain: as the last deployment left it.
    assert_eq!(registries(3, "[true()]"), [certain("Premium")]);
    // A first deployment that may not happen changes nothing.
    let first_maybe = "[if(equals(copyIndex(), 0), parameters('maybe'), true())]";
    assert_eq!(registries(2, first_maybe), [certain("Standard")]);
    // A last one that may not happen may leave either state.
    let last_maybe = "[if(equals(copyIndex(), 1), parameters('maybe'), true())]";
    assert_eq!(
        registries(2, last_maybe),
        [certain("Basic"), maybe("Standard")]
    );
}

#[test]
fn reference_to_a_vnet_declared_here_gives_its_inline_subnet_ids() {
    let vnet = r#""type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01",
        "properties": { "addressSpace": { "addressPrefixes": [ "10.0.0.0/16" ] },
                        "subnets": [ { "name": "a" }, { "name": "[concat('b', '')]" } ] }"#;
    let read = |value: &str| {
        format!(
            r#""type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01",
            "properties": {{ "subnet": {{ "id": "{value}" }} }}"#
        )
    };
    let text = template(
        "{}",
        "{}",
        &format!(
            r#"[ {{ {vnet}, "name": "v1" }},
                 {{ "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01",
                    "name": "v2", "existing": true }},
                 {{ {}, "name": "second" }},
                 {{ {}, "name": "other-state" }},
                 {{ {}, "name": "of-existing" }} ]"#,
            read("[reference(resourceId('Microsoft.Network/virtualNetworks', 'v1'), '2024-05-01').subnets[1].id]"),
            read("[reference(resourceId('Microsoft.Network/virtualNetworks', 'v1'), '2024-05-01').provisioningState]"),
            read("[reference(resourceId('Microsoft.Network/virtualNetworks', 'v2'), '2024-05-01').subnets[0].id]"),
        ),
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let subnet = |name: &str| {
        let pe = find(&l, &format!("Microsoft.Network/privateEndpoints/{name}"));
        at(pe, "properties.subnet.id").value.clone()
    };
    assert_eq!(
        subnet("second"),
        s(&format!(
            "{RG}/providers/Microsoft.Network/virtualNetworks/v1/subnets/b"
        ))
    );
    // What Azure adds on deployment is not declared, and an existing VNet declares nothing.
    assert!(matches!(subnet("other-state"), Value::Unknown(_)));
    assert!(matches!(subnet("of-existing"), Value::Unknown(_)));

    // A symbolic template reads it by symbol.
    let text = format!(
        r#"{{"$schema": "{SCHEMA}", "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "resources": {{ "vnet": {{ {vnet}, "name": "v1" }},
                        "pe": {{ {}, "name": "pe" }} }} }}"#,
        read("[reference('vnet').subnets[0].id]")
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let pe = find(&l, "Microsoft.Network/privateEndpoints/pe");
    assert_eq!(
        at(pe, "properties.subnet.id").value,
        s(&format!(
            "{RG}/providers/Microsoft.Network/virtualNetworks/v1/subnets/a"
        ))
    );
}

#[test]
fn reading_a_declared_vnet_state_in_its_corner_cases() {
    let vnet_id = "[resourceId('Microsoft.Network/virtualNetworks', 'v1')]";
    let read = |name: &str, value: &str| {
        format!(
            r#"{{ "type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01",
                 "name": "{name}", "properties": {{ "subnet": {{ "id": "{value}" }} }} }}"#
        )
    };
    let vnet = |properties: &str| {
        format!(
            r#"{{ "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01",
                 "name": "v1", "properties": {properties} }}"#
        )
    };
    let subnet_of = |l: &Loaded, name: &str| {
        let pe = find(l, &format!("Microsoft.Network/privateEndpoints/{name}"));
        at(pe, "properties.subnet.id").value.clone()
    };
    let full =
        "[reference(resourceId('Microsoft.Network/virtualNetworks', 'v1'), '2024-05-01', 'Full')";

    // A VNet that keeps its subnets on a redeployment by reading its own state: nothing is
    // known of them, and that is no error.
    let own = format!(
        "[reference({}, '2024-05-01').subnets]",
        &vnet_id[1..vnet_id.len() - 1]
    );
    let text = template(
        "{}",
        "{}",
        &format!(
            "[{}, {}]",
            vnet(&format!(r#"{{ "subnets": "{own}" }}"#)),
            read("own", &format!("{}.subnets[0].id]", &own[..own.len() - 9]))
        ),
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert!(matches!(subnet_of(&l, "own"), Value::Unknown(_)));

    // 'Full': the properties are a member; subnets declared as child resources are unknown,
    // saying so; a subnet named by a parameter nobody gave is that subnet of this VNet.
    let text = template(
        r#"{ "name": { "type": "string" } }"#,
        "{}",
        &format!(
            "[{}, {}, {}, {}]",
            vnet(r#"{ "subnets": [ { "name": "a" }, { "name": "[parameters('name')]" } ] }"#),
            read("full", &format!("{full}.properties.subnets[0].id]")),
            read("by-parameter", &format!("{full}.properties.subnets[1].id]")),
            read("location", &format!("{full}.location]")),
        ),
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let id = format!("{RG}/providers/Microsoft.Network/virtualNetworks/v1/subnets/");
    assert_eq!(subnet_of(&l, "full"), s(&format!("{id}a")));
    let Value::Unknown(u) = subnet_of(&l, "by-parameter") else {
        panic!("{:?}", subnet_of(&l, "by-parameter"));
    };
    assert_eq!(u.depends_on, "parameters('name')");
    assert_eq!(
        crate::symbolic::display(u.identity.as_deref().unwrap_or_default()),
        format!("{id}{{parameters('name')}}")
    );
    assert!(matches!(subnet_of(&l, "location"), Value::Symbolic(_)));

    let text = template(
        "{}",
        "{}",
        &format!(
            "[{}, {}]",
            vnet(r#"{ "addressSpace": { "addressPrefixes": [ "10.0.0.0/16" ] } }"#),
            read("child", &format!("{full}.properties.subnets[0].id]")),
        ),
    );
    let l = load(&text);
    let Value::Unknown(u) = subnet_of(&l, "child") else {
        panic!("{:?}", subnet_of(&l, "child"));
    };
    assert!(
        u.reason.contains("declared as resources of their own"),
        "{u:?}"
    );
}

/// A VNet named by a parameter nobody gave: its inline subnets' ids are that VNet's, unknown
/// because of the parameter, with the id as identity (so the link to that VNet is found).
#[test]
fn reading_the_state_of_a_declared_vnet_named_by_an_input() {
    let text = template(
        r#"{ "vnetName": { "type": "string" } }"#,
        "{}",
        r#"[ { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01",
               "name": "[parameters('vnetName')]",
               "properties": { "subnets": [ { "name": "a" } ] } },
             { "type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01",
               "name": "pe", "location": "[reference(resourceId('Microsoft.Network/virtualNetworks', parameters('vnetName')), '2024-05-01', 'Full').location]",
               "properties": { "subnet": { "id": "[reference(resourceId('Microsoft.Network/virtualNetworks', parameters('vnetName')), '2024-05-01').subnets[0].id]" } } } ]"#,
    );
    let l = load(&text);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let pe = find(&l, "Microsoft.Network/privateEndpoints/pe");
    let Value::Unknown(u) = &at(pe, "properties.subnet.id").value else {
        panic!("{:?}", at(pe, "properties.subnet.id"));
    };
    assert_eq!(u.depends_on, "parameters('vnetName')");
    assert_eq!(
        crate::symbolic::display(u.identity.as_deref().unwrap_or_default()),
        format!(
            "{RG}/providers/Microsoft.Network/virtualNetworks/{{parameters('vnetName')}}/subnets/a"
        )
    );
    assert!(
        matches!(at(pe, "location").value, Value::Symbolic(_)),
        "{:?}",
        at(pe, "location")
    );
}

/// The forms of `envsubst` defaults the Azure Developer CLI fills when a variable is not set.
#[test]
fn azure_developer_cli_defaults() {
    use super::azd_defaults;
    assert_eq!(
        azd_defaults("${LOC=westeurope}").as_deref(),
        Some("westeurope")
    );
    assert_eq!(
        azd_defaults("${LOC:-westeurope}").as_deref(),
        Some("westeurope")
    );
    assert_eq!(azd_defaults("${LOC:=}").as_deref(), Some(""));
    assert_eq!(
        azd_defaults("acr-${ENV-dev}-${REGION=weu}").as_deref(),
        Some("acr-dev-weu")
    );
    // A variable without default, or no substitution at all: not a default.
    for text in [
        "${LOC}",
        "acr-${ENV}-${REGION=weu}",
        "plain",
        "${=x}",
        "${LOC=x",
    ] {
        assert_eq!(azd_defaults(text), None, "{text}");
    }
}

/// A bool or int parameter given as text (as the Azure Developer CLI substitutes it) is read
/// as its type.
#[test]
fn text_given_to_a_typed_parameter_is_read_as_its_type() {
    let def = |ty: &str| crate::load::json::parse(&format!(r#"{{"type": "{ty}"}}"#)).unwrap();
    let text = |t: &str| Value::String(t.into());
    assert_eq!(
        super::template::typed(text("False"), &def("bool")),
        Value::Bool(false)
    );
    assert_eq!(
        super::template::typed(text("3"), &def("int")),
        Value::Number(3.0)
    );
    assert_eq!(
        super::template::typed(text("yes"), &def("bool")),
        text("yes")
    );
    assert_eq!(
        super::template::typed(text("true"), &def("string")),
        text("true")
    );
}
