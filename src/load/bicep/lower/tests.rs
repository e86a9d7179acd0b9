//! The lowering of Bicep constructs to the expressions the compiler writes (reference §6.5).

use super::*;
use crate::load::bicep::parser;

struct NoFiles;

impl Files for NoFiles {
    fn module(&mut self, _: &StrLit) -> Result<Json, ()> {
        Err(())
    }
    fn import(&mut self, _: &StrLit) -> Imported {
        Imported::Missing
    }
    fn load_text(&mut self, _: &StrLit, _: crate::load::TextEncoding) -> Option<String> {
        None
    }
}

/// The lowered template of `text`, with the problems found.
fn lower(text: &str) -> (Json, Vec<String>) {
    let parsed = parser::parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut files = NoFiles;
    let mut l = Lower::new(&parsed.file, 0, &mut files);
    l.resolve_names();
    let (template, problems) = l.template();
    (template, problems.into_iter().map(|p| p.message).collect())
}

/// The string at a path of keys.
fn at<'j>(j: &'j Json, path: &[&str]) -> &'j str {
    let mut node = j;
    for key in path {
        node = node
            .get(key)
            .unwrap_or_else(|| panic!("no `{key}` in {path:?}"));
    }
    node.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not a string"))
}

/// A string member of the lowered resource `symbol`, if it has one.
fn resource_member(t: &Json, symbol: &str, key: &str) -> Option<String> {
    let r = t.get("resources").and_then(|r| r.get(symbol));
    let r = r.unwrap_or_else(|| panic!("no resource `{symbol}`"));
    r.get(key).and_then(|v| v.as_str()).map(str::to_string)
}

#[test]
fn operators_and_interpolation_become_functions() {
    let (t, problems) = lower(
        "param env string\nparam n int = 2\nvar a = env == 'prod' ? 'acr${env}{x}' : toLower(env)\nvar b = !(n > 1) || n % 2 != 0\nvar c = env =~ 'PROD' && n <= -1\nvar d = settings.?x ?? 'none'\nvar settings = {\n  x: null\n  'a-b': [1, 2]\n}\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        at(&t, &["variables", "a"]),
        "[if(equals(parameters('env'), 'prod'), format('acr{0}{{x}}', parameters('env')), toLower(parameters('env')))]"
    );
    assert_eq!(
        at(&t, &["variables", "b"]),
        "[or(not(greater(parameters('n'), 1)), not(equals(mod(parameters('n'), 2), 0)))]"
    );
    assert_eq!(
        at(&t, &["variables", "c"]),
        "[and(equals(toLower(parameters('env')), toLower('PROD')), lessOrEquals(parameters('n'), -1))]"
    );
    assert_eq!(
        at(&t, &["variables", "d"]),
        "[coalesce(tryGet(variables('settings'), 'x'), 'none')]"
    );
    // Object and array literals stay JSON, each value spanned where it is written.
    let settings = t.get("variables").and_then(|v| v.get("settings")).unwrap();
    assert_eq!(settings.get("x").map(|x| &x.value), Some(&JsonValue::Null));
    assert!(
        matches!(settings.get("a-b").map(|x| &x.value), Some(JsonValue::Array(a)) if a.len() == 2)
    );
}

/// What follows a safe access is skipped with it: the chain is one `tryGet`, as the compiler
/// writes `virtualNetworkConfiguration.?subnet.addressPrefix` (AVM's ai-platform baseline) and
/// as Bicep's decompiler tests pair `z.?y.x.?w.v` and `(z.?y.x.w).v` with their templates.
#[test]
fn a_chain_after_a_safe_access_is_one_try_get() {
    let (t, problems) = lower(
        "param cfg object\nvar a = cfg.?subnet.addressPrefix ?? '10.0.0.0/24'\nvar b = cfg.?subnets[0].name\nvar c = cfg.vnet[?1].id.value\nvar d = (cfg.?subnet).name\nvar f = cfg.?a.b.?c.d\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let var = |name: &str| at(&t, &["variables", name]).to_string();
    assert_eq!(
        var("a"),
        "[coalesce(tryGet(parameters('cfg'), 'subnet', 'addressPrefix'), '10.0.0.0/24')]"
    );
    assert_eq!(
        var("b"),
        "[tryGet(parameters('cfg'), 'subnets', 0, 'name')]"
    );
    assert_eq!(
        var("c"),
        "[tryGet(parameters('cfg').vnet, 1, 'id', 'value')]"
    );
    // Parentheses end the chain.
    assert_eq!(var("d"), "[tryGet(parameters('cfg'), 'subnet').name]");
    assert_eq!(
        var("f"),
        "[tryGet(tryGet(parameters('cfg'), 'a', 'b'), 'c', 'd')]"
    );
}

#[test]
fn references_become_resource_ids_and_names() {
    let (t, problems) = lower(
        "param vnetName string\nresource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {\n  name: vnetName\n  resource snet 'subnets' = {\n    name: 'snet-pe'\n  }\n}\nresource hub 'Microsoft.Network/privateDnsZones@2024-06-01' existing = {\n  name: 'privatelink.azurecr.io'\n  scope: resourceGroup('rg-hub')\n}\nresource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {\n  parent: hub\n  name: 'link-${vnet.name}'\n  properties: {\n    virtualNetwork: { id: vnet.id }\n    subnet: vnet::snet.id\n  }\n}\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let resources = t.get("resources").unwrap();
    let snet = resources
        .get("vnet::snet")
        .expect("nested child, keyed parent::child");
    assert_eq!(
        at(snet, &["type"]),
        "Microsoft.Network/virtualNetworks/subnets"
    );
    assert_eq!(at(snet, &["apiVersion"]), "2024-05-01");
    assert_eq!(
        at(snet, &["name"]),
        "[format('{0}/{1}', parameters('vnetName'), 'snet-pe')]"
    );
    let hub = resources.get("hub").unwrap();
    assert_eq!(
        hub.get("existing").map(|e| &e.value),
        Some(&JsonValue::Bool(true))
    );
    assert_eq!(at(hub, &["resourceGroup"]), "['rg-hub']");
    let link = resources.get("link").unwrap();
    assert_eq!(
        at(link, &["name"]),
        "[format('{0}/{1}', 'privatelink.azurecr.io', format('link-{0}', parameters('vnetName')))]"
    );
    assert_eq!(
        at(link, &["properties", "virtualNetwork", "id"]),
        "[resourceId('Microsoft.Network/virtualNetworks', parameters('vnetName'))]"
    );
    assert_eq!(
        at(link, &["properties", "subnet"]),
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('vnetName'), 'snet-pe')]"
    );
    // The header is the `resource` line, for findings about a missing property.
    let header = link.get("type").unwrap().span.clone();
    let text = "resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01'";
    assert_eq!(header.end - header.start, text.len());
}

#[test]
fn nested_resources_are_in_scope_by_their_own_names_in_their_parent() {
    // As AVM's test dependencies write them: a sibling nested resource, and the parent's own
    // properties, name a nested resource without `parent::`.
    let (t, problems) = lower(
        "resource lb 'Microsoft.Network/loadBalancers@2024-05-01' = {\n  name: 'lb'\n  properties: {\n    probe: pool.id\n  }\n  resource pool 'backendAddressPools' = {\n    name: 'default'\n  }\n  resource rule 'inboundNatRules' = {\n    name: 'rule'\n    properties: {\n      backend: pool.id\n    }\n  }\n}\noutput o string = lb::pool.id\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let resources = t.get("resources").unwrap();
    let pool =
        "[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'lb', 'default')]";
    assert_eq!(
        at(
            resources.get("lb::rule").unwrap(),
            &["properties", "backend"]
        ),
        pool
    );
    assert_eq!(
        at(resources.get("lb").unwrap(), &["properties", "probe"]),
        pool
    );
    // Outside the parent, the bare name is not declared.
    let (_, problems) = lower(
        "resource lb 'Microsoft.Network/loadBalancers@2024-05-01' = {\n  name: 'lb'\n  resource pool 'backendAddressPools' = {\n    name: 'default'\n  }\n}\noutput o string = pool.id\n",
    );
    assert_eq!(problems, ["`pool` is not declared"]);
}

#[test]
fn a_resource_group_symbol_as_scope_places_the_module_in_that_group() {
    let (t, problems) = lower(
        "targetScope = 'subscription'\nparam names array\nresource hub 'Microsoft.Resources/resourceGroups@2024-03-01' existing = {\n  name: 'rg-hub'\n  scope: subscription('hub-sub')\n}\nresource spokes 'Microsoft.Resources/resourceGroups@2024-03-01' = [for n in names: {\n  name: 'rg-${n}'\n  location: 'westeurope'\n}]\nresource zone 'Microsoft.Network/privateDnsZones@2024-06-01' existing = {\n  name: 'privatelink.azurecr.io'\n  scope: hub\n}\nmodule shared './acr.bicep' = {\n  name: 'shared'\n  scope: hub\n}\nmodule regs './acr.bicep' = [for (n, i) in names: {\n  name: 'acr-${n}'\n  scope: spokes[i]\n  params: {\n    zoneId: zone.id\n  }\n}]\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let resources = t.get("resources").unwrap();
    // The group's name, and its subscription when the group's own scope names one.
    let shared = resources.get("shared").unwrap();
    assert_eq!(at(shared, &["subscriptionId"]), "['hub-sub']");
    assert_eq!(at(shared, &["resourceGroup"]), "['rg-hub']");
    assert!(shared.get("scope").is_none());
    // An instance of a group loop: the group's name for that index.
    let regs = resources.get("regs").unwrap();
    assert_eq!(
        at(regs, &["resourceGroup"]),
        "[format('rg-{0}', parameters('names')[copyIndex()])]"
    );
    assert!(regs.get("subscriptionId").is_none());
    let zone = resources.get("zone").unwrap();
    assert_eq!(at(zone, &["subscriptionId"]), "['hub-sub']");
    assert_eq!(at(zone, &["resourceGroup"]), "['rg-hub']");
    assert_eq!(
        at(regs, &["properties", "parameters", "zoneId", "value"]),
        "[extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', 'hub-sub', 'rg-hub'), 'Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io')]"
    );
}

#[test]
fn loops_become_copy_members_or_map() {
    let (t, problems) = lower(
        "param zones array\nparam endpoints array\nresource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = [for (ep, i) in endpoints: if (ep.enabled) {\n  name: 'pe-${i}'\n  properties: {\n    customDnsConfigs: [for z in zones: {\n      fqdn: z\n    }]\n  }\n}]\nvar ids = [for (ep, i) in endpoints: pe[i].id]\nvar names = map(zones, z => toLower(z))\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let pe = t.get("resources").and_then(|r| r.get("pe")).unwrap();
    assert_eq!(
        at(pe, &["copy", "count"]),
        "[length(parameters('endpoints'))]"
    );
    assert_eq!(
        at(pe, &["condition"]),
        "[parameters('endpoints')[copyIndex()].enabled]"
    );
    assert_eq!(at(pe, &["name"]), "[format('pe-{0}', copyIndex())]");
    let copy = pe
        .get("properties")
        .and_then(|p| p.get("copy"))
        .and_then(|c| match &c.value {
            JsonValue::Array(items) => items.first(),
            _ => None,
        })
        .expect("a property loop is a copy member");
    assert_eq!(at(copy, &["name"]), "customDnsConfigs");
    assert_eq!(
        at(copy, &["input", "fqdn"]),
        "[parameters('zones')[copyIndex('customDnsConfigs')]]"
    );
    assert_eq!(
        at(&t, &["variables", "ids"]),
        "[map(range(0, length(parameters('endpoints'))), lambda('i_1', resourceId('Microsoft.Network/privateEndpoints', format('pe-{0}', lambdaVariables('i_1')))))]"
    );
    assert_eq!(
        at(&t, &["variables", "names"]),
        "[map(parameters('zones'), lambda('z_2', toLower(lambdaVariables('z_2'))))]"
    );
}

#[test]
fn literals_and_undeclared_names() {
    let (t, problems) = lower(
        "var a = '[not an expression]'\nvar b = undeclared\nvar c = [for x in range(0, 2): x]\n",
    );
    assert_eq!(at(&t, &["variables", "a"]), "[[not an expression]");
    assert_eq!(problems, ["`undeclared` is not declared"]);
    // A loop variable is declared within its loop only.
    assert!(at(&t, &["variables", "c"]).starts_with("[map(range(0, length(range(0, 2)))"));
}

/// Files imported from: every `import` reads `shared`.
struct Shared(std::sync::Arc<Parsed>);

impl Files for Shared {
    fn module(&mut self, _: &StrLit) -> Result<Json, ()> {
        Err(())
    }
    fn import(&mut self, _: &StrLit) -> Imported {
        Imported::File(self.0.clone(), 1000)
    }
    fn load_text(&mut self, _: &StrLit, _: crate::load::TextEncoding) -> Option<String> {
        None
    }
}

#[test]
fn bicepparam_values_inline_what_they_import() {
    let shared = parser::parse(
        "var suffix = 'acr'\n@export()\nvar name = 'contoso${suffix}'\n@export()\nfunc access(isPublic bool) string => isPublic ? 'Enabled' : 'Disabled'\n@export()\nfunc wrap(x string) string => access(empty(x))\n@export()\nfunc forever(n int) int => forever(n)\n",
    );
    assert!(shared.errors.is_empty(), "{:?}", shared.errors);
    let params = parser::parse(
        "using './main.bicep'\nimport { name as n, access } from './shared.bicep'\nimport * as ns from './shared.bicep'\nparam a = n\nparam b = access(true)\nparam c = ns.name\nparam d = ns.wrap('x')\nparam e = ns.forever(1)\n",
    );
    assert!(params.errors.is_empty(), "{:?}", params.errors);
    let mut files = Shared(std::sync::Arc::new(shared));
    let mut l = Lower::new(&params.file, 0, &mut files);
    l.inline_vars = true;
    l.resolve_names();
    let values: Vec<String> = params
        .file
        .items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::ParamValue { value, .. } => Some(l.expr(value, &Cx::default())),
            _ => None,
        })
        .collect();
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    // Imported variables (with the names of their own file) and function bodies (with the
    // arguments for their parameters) are inlined: no template holds them.
    assert_eq!(values[0], "format('contoso{0}', 'acr')");
    assert_eq!(values[1], "if(true(), 'Enabled', 'Disabled')");
    assert_eq!(values[2], values[0]);
    assert_eq!(values[3], "if(empty('x'), 'Enabled', 'Disabled')");
    // A function that calls itself ends at the nesting bound, unknown.
    assert!(
        values[4].contains("bicep.unknown('forever', 'is not declared')"),
        "{}",
        values[4]
    );
}

/// A nested resource is deployed only with the resources it is nested in: its condition is
/// theirs and its own, as the compiler writes it (its `NestedResources` sample); a `parent:`
/// property is not nesting.
#[test]
fn a_nested_resource_has_its_parents_conditions() {
    let (t, problems) = lower(
        "param a bool\nparam b bool\nparam c bool\nresource p 'My.Rp/parentType@2020-12-01' = if (a) {\n  name: 'p'\n  resource child 'childType' = if (b) {\n    name: 'child'\n    resource grandchild 'grandchildType' = if (c) {\n      name: 'g'\n    }\n  }\n  resource sibling 'childType' = {\n    name: 's'\n  }\n}\nresource other 'My.Rp/parentType/childType@2020-12-01' = {\n  parent: p\n  name: 'o'\n}\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let condition = |symbol: &str| resource_member(&t, symbol, "condition");
    assert_eq!(condition("p").as_deref(), Some("[parameters('a')]"));
    assert_eq!(
        condition("p::child").as_deref(),
        Some("[and(parameters('a'), parameters('b'))]")
    );
    assert_eq!(
        condition("p::child::grandchild").as_deref(),
        Some("[and(and(parameters('a'), parameters('b')), parameters('c'))]")
    );
    assert_eq!(
        condition("p::sibling").as_deref(),
        Some("[parameters('a')]")
    );
    assert_eq!(condition("other"), None);
}

/// A nested resource is where its parent is: the parent's `scope` is its own, as the compiler
/// writes it (AVM's `cMKKeyVault::cMKKey`).
#[test]
fn a_nested_resource_is_in_its_parents_scope() {
    let (t, problems) = lower(
        "resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {\n  name: 'spoke'\n  scope: resourceGroup('rg-network')\n  resource subnet 'subnets' existing = {\n    name: 'pe'\n  }\n}\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let group = |symbol: &str| resource_member(&t, symbol, "resourceGroup");
    assert_eq!(group("vnet"), group("vnet::subnet"));
    assert!(group("vnet").is_some_and(|g| g.contains("rg-network")));
}

#[test]
fn a_module_without_a_name_gets_the_name_the_compiler_generates() {
    // Reference §6.4: the symbolic name cut to 50 characters, and a hash of it with the
    // deployment's name.
    let symbol = format!("registry{}", "x".repeat(50));
    let (t, _) = lower(&format!(
        "module {symbol} './acr.bicep' = {{\n  params: {{}}\n}}\n"
    ));
    assert_eq!(
        at(&t, &["resources", &symbol, "name"]),
        format!(
            "[format('{}-{{0}}', uniqueString('{symbol}', deployment().name))]",
            &symbol[..50]
        )
    );
}

/// The JSONPath subset of the load functions' path filters: members and indexes, with the key
/// quoted either way; anything else selects nothing here (unknown, never a wrong part).
#[test]
fn path_filters_select_members_and_indexes() {
    let doc = || {
        let j = crate::load::json::parse(r#"{"a": {"b c": [10, {"d": "x"}]}, "e": 1}"#).unwrap();
        Value::from_json(&j, None)
    };
    let pick = |path: &str| select(doc(), path).and_then(|v| v.to_json());
    assert_eq!(
        pick("$").as_deref(),
        Some(r#"{"a":{"b c":[10,{"d":"x"}]},"e":1}"#)
    );
    assert_eq!(pick("$.e").as_deref(), Some("1"));
    assert_eq!(pick(".e").as_deref(), Some("1"));
    assert_eq!(pick("e").as_deref(), Some("1"), "as Json.NET reads it");
    assert_eq!(pick("a['b c'][0]").as_deref(), Some("10"));
    assert_eq!(pick("$.a['b c'][1].d").as_deref(), Some(r#""x""#));
    assert_eq!(pick(r#"$["a"]["b c"][0]"#).as_deref(), Some("10"));
    for unsupported in [
        "$.missing",
        "$.a['b c'][2]",
        "$.e.f",
        "$.*",
        "$..d",
        "$.a['b c'][*]",
        "$.a['b c'][?(@.d)]",
        "$.a[",
        "$e",
    ] {
        assert_eq!(pick(unsupported), None, "{unsupported}");
    }
}
