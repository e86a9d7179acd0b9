use super::*;

/// A small environment: parameters `name`, `count`, `flag`, `obj`, `list`; `missing` has no
/// value; variable `v`; copy loop `loop` at index 2 (also the default loop).
struct TestEnv {
    scope: DeploymentScope,
    limits: Limits,
}

impl TestEnv {
    fn new() -> TestEnv {
        TestEnv {
            scope: DeploymentScope::default(),
            limits: Limits::default(),
        }
    }
}

fn v(text: &str) -> Value {
    let j = crate::load::json::parse(text).unwrap();
    Value::from_json(&j, None)
}

impl Env for TestEnv {
    fn scope(&self) -> &DeploymentScope {
        &self.scope
    }
    fn limits(&self) -> &Limits {
        &self.limits
    }
    fn parameter(&self, name: &str) -> Value {
        match name.to_ascii_lowercase().as_str() {
            "name" => Value::String("ContosoAcr".into()),
            "count" => Value::Number(3.0),
            "flag" => Value::Bool(true),
            "obj" => v(r#"{"Sku": {"Name": "Premium"}, "tags": {"a": "b"}}"#),
            "list" => v(r#"["a", "b", "c"]"#),
            "input" | "rg" => Value::Unknown(Unknown::input(
                format!("parameters('{name}')"),
                "has no default value",
            )),
            _ => unknown(format!("parameters('{name}')"), "has no default value"),
        }
    }
    fn variable(&self, name: &str) -> Value {
        match name {
            "v" => Value::String("var-value".into()),
            _ => unknown(format!("variables('{name}')"), "is not declared"),
        }
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Value {
        match loop_name {
            None | Some("loop") => Value::Number(2.0),
            Some(_) => unknown("copyIndex", "unknown loop"),
        }
    }
    fn reference(&self, target: &str) -> Option<Value> {
        (target == "mod").then(|| v(r#"{"outputs": {"id": {"type": "string", "value": "x"}}}"#))
    }
}

fn ev(s: &str) -> Value {
    eval_string(s, &TestEnv::new()).unwrap()
}

fn str_of(s: &str) -> String {
    match ev(s) {
        Value::String(x) => x.to_string(),
        Value::Symbolic(x) => x.to_string(),
        other => panic!("{s} gave {other:?}"),
    }
}

fn is_unknown(s: &str) -> Unknown {
    match ev(s) {
        Value::Unknown(u) => u,
        other => panic!("{s} gave {other:?}, expected unknown"),
    }
}

#[test]
fn literals_and_escapes() {
    assert_eq!(str_of("plain"), "plain");
    assert_eq!(str_of("[[test value]"), "[test value]");
    assert_eq!(str_of("[not an expression"), "[not an expression");
    assert_eq!(str_of("[]"), "[]");
    assert_eq!(str_of("['it''s']"), "it's");
    assert_eq!(ev("[json('null')]"), Value::Null);
    assert_eq!(ev("[null()]"), Value::Null);
    assert_eq!(ev("[true()]"), Value::Bool(true));
    assert_eq!(ev("[false]"), Value::Bool(false));
    assert_eq!(ev("[json('{\"a\": [1, 2]}').a[1]]"), Value::Number(2.0));
    let err = eval_string("[concat('a']", &TestEnv::new()).unwrap_err();
    assert_eq!(err.offset, 11);
}

#[test]
fn parameters_variables_and_access() {
    assert_eq!(str_of("[parameters('name')]"), "ContosoAcr");
    assert_eq!(str_of("[PARAMETERS('NAME')]"), "ContosoAcr");
    assert_eq!(str_of("[variables('v')]"), "var-value");
    // Property names are case-insensitive.
    assert_eq!(str_of("[parameters('obj').sku.name]"), "Premium");
    assert_eq!(str_of("[parameters('obj')['SKU']['name']]"), "Premium");
    assert_eq!(str_of("[parameters('list')[1]]"), "b");
    let u = is_unknown("[parameters('missing')]");
    assert_eq!(u.depends_on, "parameters('missing')");
    // Unknown propagates through access.
    assert_eq!(
        is_unknown("[parameters('missing').a[0]]").depends_on,
        "parameters('missing')"
    );
    is_unknown("[parameters('obj').nope]");
    is_unknown("[parameters('list')[5]]");
}

#[test]
fn concat_and_format() {
    assert_eq!(
        str_of("[concat('a', parameters('name'), 1)]"),
        "aContosoAcr1"
    );
    assert_eq!(
        ev("[concat(parameters('list'), createArray('d'))]"),
        v(r#"["a", "b", "c", "d"]"#)
    );
    is_unknown("[concat('a', createArray('d'))]");
    assert_eq!(str_of("[format('{0}/{1}', 'pe', 'default')]"), "pe/default");
    assert_eq!(str_of("[format('{{{0}}}', 'x')]"), "{x}");
    assert_eq!(
        str_of("[format('{0:D3}-{1,4}|{2,-3}|', 7, 'ab', 'c')]"),
        "007-  ab|c  |"
    );
    assert_eq!(str_of("[format('{0:N0}', 1234567)]"), "1,234,567");
    assert_eq!(str_of("[format('{0}', true())]"), "True");
    assert_eq!(str_of("[format('{0:00}', 5)]"), "05");
    let u = is_unknown("[format('{0}-{1}', 'a', parameters('missing'))]");
    assert_eq!(u.depends_on, "parameters('missing')");
    is_unknown("[format('{1}', 'a')]");
}

#[test]
fn resource_ids_use_scope_placeholders() {
    assert_eq!(
        str_of("[resourceId('Microsoft.ContainerRegistry/registries', 'acr1')]"),
        "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.ContainerRegistry/registries/acr1"
    );
    assert_eq!(
        str_of("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]"),
        "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"
    );
    assert_eq!(
        str_of("[resourceId('hub-rg', 'Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io')]"),
        "/subscriptions/{subscription().subscriptionId}/resourceGroups/hub-rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io"
    );
    assert_eq!(
        str_of("[resourceId('sub1', 'rg1', 'Microsoft.Network/privateDnsZones', 'z')]"),
        "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/z"
    );
    assert_eq!(
        str_of("[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg')]"),
        "/subscriptions/{subscription().subscriptionId}/providers/Microsoft.Resources/resourceGroups/rg"
    );
    assert_eq!(
        str_of("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]"),
        "/providers/Microsoft.Management/managementGroups/mg"
    );
    assert_eq!(
        str_of("[extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', 's', 'r'), 'Microsoft.Network/privateDnsZones', 'z')]"),
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateDnsZones/z"
    );
    // The same expression twice gives equal ids, so linking works.
    assert_eq!(
        ev("[equals(resourceId('Microsoft.Network/privateEndpoints', 'pe'), concat(resourceGroup().id, '/providers/Microsoft.Network/privateEndpoints/pe'))]"),
        Value::Bool(true)
    );
    // Wrong number of names.
    is_unknown("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]");
}

#[test]
fn scope_functions() {
    assert_eq!(
        str_of("[subscription().subscriptionId]"),
        "{subscription().subscriptionId}"
    );
    assert_eq!(
        str_of("[subscription().id]"),
        "/subscriptions/{subscription().subscriptionId}"
    );
    assert_eq!(str_of("[resourceGroup().name]"), "{resourceGroup().name}");
    assert_eq!(
        str_of("[resourceGroup().id]"),
        "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}"
    );
    assert_eq!(
        str_of("[resourceGroup().location]"),
        "{resourceGroup().location}"
    );
    // The cloud is the deployment's, not the public cloud: a zone chosen by its name is too.
    assert_eq!(str_of("[environment().name]"), "{environment().name}");
    is_unknown("[if(equals(toLower(environment().name), 'azureusgovernment'), 'azurecr.us', 'azurecr.io')]");
    // The cloud is the deployment's: its registry suffix is a term, not the public cloud's.
    assert_eq!(
        str_of("[concat('privatelink', environment().suffixes.acrLoginServer)]"),
        "privatelink{environment().suffixes.acrLoginServer}"
    );
    assert_eq!(
        str_of("[environment().suffixes.storage]"),
        "core.windows.net"
    );
    // Member access reads the same values as the whole object, names case-insensitive.
    let whole = ev("[environment()]");
    let audiences = whole
        .get("authentication")
        .and_then(|a| a.get("audiences"))
        .map(|n| n.value.clone());
    assert_eq!(
        Some(ev("[environment().Authentication.audiences]")),
        audiences
    );
    assert_eq!(
        Some(ev("[environment().suffixes]")),
        whole.get("suffixes").map(|n| n.value.clone())
    );
    assert_eq!(
        str_of("[environment().SUFFIXES.acrloginserver]"),
        "{environment().suffixes.acrLoginServer}"
    );
    assert!(is_unknown("[environment().nope.x]")
        .depends_on
        .contains("nope"));
    assert!(is_unknown("[environment().name.x]")
        .reason
        .contains("string"));
    assert_eq!(str_of("[deployment().name]"), "{deployment().name}");
    // Comparing a symbolic value with a literal cannot be decided.
    is_unknown("[equals(resourceGroup().name, 'prod')]");
    is_unknown("[contains(resourceGroup().name, 'prod')]");
}

#[test]
fn unique_string_and_guid() {
    assert_eq!(
        str_of("[uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myRg')]"),
        "js26ofeqkqeve"
    );
    assert_eq!(
        str_of("[uniqueString(resourceGroup().id)]"),
        "{uniqueString(resourceGroup().id)}"
    );
    assert_eq!(
        str_of("[guid(subscription().id, 'x')]"),
        "{guid(subscription().id, 'x')}"
    );
    assert_eq!(
        str_of("[guid('a', 'b')]"),
        "2d796349-8c7e-55ec-9624-54ece82ed031"
    );
    // Taking part of a symbolic value keeps a term (deterministic, never a fake value).
    assert_eq!(
        str_of("[substring(uniqueString(resourceGroup().name), 0, 5)]"),
        "{substring(uniqueString(resourceGroup().name), 0, 5)}"
    );
    // Lower-casing a hash changes nothing but the literal text.
    assert_eq!(
        str_of("[toLower(format('ACR{0}', uniqueString(resourceGroup().id)))]"),
        "acr{uniqueString(resourceGroup().id)}"
    );
    // The same expression is the same value; another one may or may not be equal.
    assert_eq!(
        ev("[equals(format('acr{0}', uniqueString(resourceGroup().id)), concat('acr', uniqueString(resourceGroup().id)))]"),
        Value::Bool(true)
    );
    is_unknown("[equals(uniqueString(resourceGroup().id), uniqueString(subscription().id))]");
    assert_eq!(
        ev("[equals(concat('acr', uniqueString(resourceGroup().id)), 'registry')]"),
        Value::Bool(false),
        "the literal prefixes differ"
    );
    // A real brace in a literal is text, not a term.
    assert_eq!(ev("[concat('{a}', 'b')]"), Value::String("{a}b".into()));
    // A hash is 13 characters and a GUID 36, whatever the deployment; other terms have no
    // known length.
    assert_eq!(
        ev("[length(uniqueString(resourceGroup().id))]"),
        Value::Number(13.0)
    );
    assert_eq!(
        ev("[length(format('acr{0}-{1}', uniqueString(resourceGroup().id), guid(resourceGroup().id)))]"),
        Value::Number(53.0)
    );
    // Of a name known only at deployment, a deployment-time number.
    assert_eq!(
        str_of("[length(resourceGroup().name)]"),
        "{length(resourceGroup().name)}"
    );
    is_unknown("[uniqueString(parameters('missing'))]");
}

#[test]
fn runtime_functions_are_unknown() {
    let u = is_unknown("[reference('acr').loginServer]");
    assert_eq!(u.depends_on, "reference('acr')");
    assert!(u.reason.contains("deployment"));
    assert_eq!(
        is_unknown("[listKeys('x', '2020-01-01').keys[0]]").depends_on,
        "listKeys('x', '2020-01-01')"
    );
    is_unknown("[references('loop')]");
    is_unknown("[newGuid()]");
    is_unknown("[utcNow('d')]");
    let u = is_unknown("[someFutureFunction(1)]");
    assert!(u.reason.contains("someFutureFunction"));
    is_unknown("[ns.fn(1)]");
    // A known reference (outputs of a nested deployment) reads through.
    assert_eq!(str_of("[reference('mod').outputs.id.value]"), "x");
}

#[test]
fn logic_decides_on_known_arguments() {
    assert_eq!(
        ev("[if(parameters('flag'), 'Disabled', 'Enabled')]"),
        Value::String("Disabled".into())
    );
    // Only the chosen branch matters.
    assert_eq!(str_of("[if(false(), reference('x').y, 'ok')]"), "ok");
    assert_eq!(
        is_unknown("[if(parameters('missing'), 'a', 'b')]").depends_on,
        "parameters('missing')"
    );
    assert_eq!(
        str_of("[if(parameters('missing'), 'same', 'same')]"),
        "same"
    );
    assert_eq!(
        ev("[and(false(), parameters('missing'))]"),
        Value::Bool(false)
    );
    assert_eq!(ev("[or(parameters('missing'), true())]"), Value::Bool(true));
    is_unknown("[and(true(), parameters('missing'))]");
    assert_eq!(ev("[and(true(), true())]"), Value::Bool(true));
    assert_eq!(ev("[or(false(), false())]"), Value::Bool(false));
    assert_eq!(ev("[not(equals(1, 2))]"), Value::Bool(true));
    assert_eq!(str_of("[coalesce(null(), '', 'x')]"), "");
    assert_eq!(
        str_of("[coalesce(null(), 'x', parameters('missing'))]"),
        "x"
    );
    is_unknown("[coalesce(parameters('missing'), 'x')]");
    assert_eq!(ev("[coalesce(null(), null())]"), Value::Null);
    is_unknown("[not(parameters('missing'))]");
}

#[test]
fn comparison_functions() {
    assert_eq!(ev("[equals('a', 'A')]"), Value::Bool(false));
    assert_eq!(ev("[equals(parameters('obj'), json('{\"sku\": {\"name\": \"Premium\"}, \"tags\": {\"a\": \"b\"}}'))]"), Value::Bool(true));
    assert_eq!(
        ev("[equals(createArray(1, 2), createArray(1, 2))]"),
        Value::Bool(true)
    );
    assert_eq!(ev("[empty('')]"), Value::Bool(true));
    assert_eq!(ev("[empty(createArray())]"), Value::Bool(true));
    assert_eq!(ev("[empty(json('{}'))]"), Value::Bool(true));
    assert_eq!(ev("[empty(null())]"), Value::Bool(true));
    assert_eq!(ev("[empty(parameters('list'))]"), Value::Bool(false));
    // contains: substring case-sensitive, object keys case-insensitive.
    assert_eq!(ev("[contains('Premium', 'prem')]"), Value::Bool(false));
    assert_eq!(ev("[contains('Premium', 'Prem')]"), Value::Bool(true));
    assert_eq!(
        ev("[contains(parameters('obj'), 'SKU')]"),
        Value::Bool(true)
    );
    assert_eq!(ev("[contains(parameters('list'), 'c')]"), Value::Bool(true));
    // startsWith/endsWith/indexOf: case-insensitive.
    assert_eq!(ev("[startsWith('Premium', 'PRE')]"), Value::Bool(true));
    assert_eq!(ev("[endsWith('Premium', 'IUM')]"), Value::Bool(true));
    assert_eq!(ev("[indexOf('abcABC', 'C')]"), Value::Number(2.0));
    assert_eq!(ev("[lastIndexOf('abcABC', 'c')]"), Value::Number(5.0));
    assert_eq!(ev("[indexOf('abc', 'z')]"), Value::Number(-1.0));
    assert_eq!(ev("[less(1, 2)]"), Value::Bool(true));
    assert_eq!(ev("[greaterOrEquals(2, 2)]"), Value::Bool(true));
}

#[test]
fn string_functions() {
    assert_eq!(str_of("[toLower('AbC')]"), "abc");
    assert_eq!(str_of("[toUpper('AbC')]"), "ABC");
    assert_eq!(str_of("[trim('  x ')]"), "x");
    assert_eq!(str_of("[replace('a-b-c', '-', '')]"), "abc");
    assert_eq!(ev("[split('a/b//c', '/')]"), v(r#"["a", "b", "", "c"]"#));
    assert_eq!(
        ev("[split('a,b;c', createArray(',', ';'))]"),
        v(r#"["a", "b", "c"]"#)
    );
    assert_eq!(
        str_of("[last(split('/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io', '/'))]"),
        "privatelink.azurecr.io"
    );
    assert_eq!(str_of("[substring('abcdef', 1, 3)]"), "bcd");
    assert_eq!(str_of("[substring('abcdef', 2)]"), "cdef");
    is_unknown("[substring('abc', 2, 5)]");
    assert_eq!(ev("[length('héllo')]"), Value::Number(5.0));
    assert_eq!(str_of("[first('abc')]"), "a");
    assert_eq!(str_of("[last('abc')]"), "c");
    assert_eq!(str_of("[take('abcdef', 2)]"), "ab");
    assert_eq!(str_of("[skip('abcdef', 4)]"), "ef");
    assert_eq!(str_of("[string(1)]"), "1");
    assert_eq!(str_of("[string(parameters('list'))]"), r#"["a","b","c"]"#);
    assert_eq!(str_of("[padLeft('7', 3, '0')]"), "007");
    assert_eq!(str_of("[join(parameters('list'), ',')]"), "a,b,c");
    assert_eq!(
        str_of("[base64('one, two, three')]"),
        "b25lLCB0d28sIHRocmVl"
    );
}

#[test]
fn conversion_functions() {
    assert_eq!(ev("[int('42')]"), Value::Number(42.0));
    assert_eq!(ev("[int(4)]"), Value::Number(4.0));
    is_unknown("[int('x')]");
    assert_eq!(ev("[bool('True')]"), Value::Bool(true));
    assert_eq!(ev("[bool('false')]"), Value::Bool(false));
    assert_eq!(ev("[bool(1)]"), Value::Bool(true));
    assert_eq!(ev("[bool(0)]"), Value::Bool(false));
    is_unknown("[bool('yes')]");
    assert_eq!(ev("[json('true')]"), Value::Bool(true));
    is_unknown("[json('{')]");
}

#[test]
fn array_and_object_functions() {
    assert_eq!(ev("[length(parameters('list'))]"), Value::Number(3.0));
    assert_eq!(ev("[length(parameters('obj'))]"), Value::Number(2.0));
    assert_eq!(str_of("[first(parameters('list'))]"), "a");
    assert_eq!(str_of("[last(parameters('list'))]"), "c");
    assert_eq!(ev("[first(createArray())]"), Value::Null);
    assert_eq!(ev("[take(parameters('list'), 2)]"), v(r#"["a", "b"]"#));
    assert_eq!(ev("[skip(parameters('list'), 2)]"), v(r#"["c"]"#));
    assert_eq!(
        ev("[union(createArray(1, 2), createArray(2, 3))]"),
        v("[1, 2, 3]")
    );
    assert_eq!(
        ev(r#"[union(json('{"a": 1, "n": {"x": 1}}'), json('{"b": 2, "n": {"y": 2}}'))]"#),
        v(r#"{"a": 1, "n": {"x": 1, "y": 2}, "b": 2}"#)
    );
    assert_eq!(
        ev("[createObject('k', 'v', 'n', 1)]"),
        v(r#"{"k": "v", "n": 1}"#)
    );
    // Constructors keep unknown elements in place.
    let Value::List(items) = ev("[createArray('a', parameters('missing'))]") else {
        panic!()
    };
    assert!(matches!(items[1].value, Value::Unknown(_)));
    assert_eq!(
        ev("[tryGet(parameters('obj'), 'sku', 'name')]"),
        Value::String("Premium".into())
    );
    assert_eq!(ev("[tryGet(parameters('obj'), 'nope')]"), Value::Null);
    assert_eq!(
        ev("[intersection(createArray(1, 2, 3), createArray(2, 3, 4))]"),
        v("[2, 3]")
    );
    assert_eq!(ev("[range(1, 3)]"), v("[1, 2, 3]"));
    is_unknown("[range(0, 100000000)]");
    assert_eq!(ev("[max(1, 5, 3)]"), Value::Number(5.0));
    assert_eq!(ev("[min(createArray(4, 2))]"), Value::Number(2.0));
    assert_eq!(ev("[add(2, 3)]"), Value::Number(5.0));
    is_unknown("[div(1, 0)]");
    assert_eq!(
        ev("[objectKeys(json('{\"a\":1,\"b\":2}'))]"),
        v(r#"["a", "b"]"#)
    );
    assert_eq!(ev("[array('x')]"), v(r#"["x"]"#));
    assert_eq!(
        ev("[flatten(createArray(createArray(1), createArray(2)))]"),
        v("[1, 2]")
    );
}

#[test]
fn lambdas() {
    assert_eq!(
        ev("[map(parameters('list'), lambda('x', toUpper(lambdaVariables('x'))))]"),
        v(r#"["A", "B", "C"]"#)
    );
    assert_eq!(
        ev("[filter(createArray(1, 2, 3), lambda('x', greater(lambdaVariables('x'), 1)))]"),
        v("[2, 3]")
    );
    assert_eq!(
        ev("[reduce(createArray(1, 2, 3), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))]"),
        Value::Number(6.0)
    );
    assert_eq!(
        ev("[toObject(parameters('list'), lambda('x', lambdaVariables('x')), lambda('x', 1))]"),
        v(r#"{"a": 1, "b": 1, "c": 1}"#)
    );
}

#[test]
fn copy_index() {
    assert_eq!(ev("[copyIndex()]"), Value::Number(2.0));
    assert_eq!(ev("[copyIndex(1)]"), Value::Number(3.0));
    assert_eq!(ev("[copyIndex('loop')]"), Value::Number(2.0));
    assert_eq!(ev("[copyIndex('loop', 10)]"), Value::Number(12.0));
    is_unknown("[copyIndex('other')]");
    assert_eq!(str_of("[format('acr{0}', copyIndex(1))]"), "acr3");
}

#[test]
fn hostile_expressions_stay_bounded() {
    // Deep but parseable nesting evaluates within the limits.
    let nested = format!("[{}'x'{}]", "toLower(".repeat(90), ")".repeat(90));
    assert_eq!(str_of(&nested), "x");
    // Too deep to parse: an error, not a stack overflow.
    let deep = format!("[{}'x'{}]", "toLower(".repeat(5000), ")".repeat(5000));
    assert!(eval_string(&deep, &TestEnv::new()).is_err());
    // Exponential growth is cut at the size limit.
    let mut e = "'aaaaaaaaaaaaaaaa'".to_string();
    for _ in 0..40 {
        e = format!("concat({e}, {e})");
        if e.len() > 50_000 {
            break;
        }
    }
    let _ = eval_string(&format!("[{e}]"), &TestEnv::new());
}

#[test]
fn environment_members_take_the_steps_of_a_full_evaluation() {
    // Three evaluations: the outer access, the inner access and the call.
    let text = "[environment().suffixes.storage]";
    let env = TestEnv::new();
    env.limits
        .steps
        .set(crate::limits::Limits::DEFAULT.steps - 3);
    assert_eq!(
        eval_string(text, &env).unwrap(),
        Value::String("core.windows.net".into())
    );
    assert_eq!(env.limits.steps.get(), crate::limits::Limits::DEFAULT.steps);
    let env = TestEnv::new();
    env.limits
        .steps
        .set(crate::limits::Limits::DEFAULT.steps - 2);
    assert_eq!(
        eval_string(text, &env).unwrap(),
        Value::Unknown(Limits::exhausted())
    );
    assert_eq!(env.limits.depth.get(), 0);
}

/// Steps mean the same as in Terraform: every expression evaluated counts one, every element a
/// function produces one more.
#[test]
fn steps_count_expressions_and_elements() {
    let env = TestEnv::new();
    eval_string("[range(0, 4)]", &env).unwrap();
    // The call, its two arguments and four elements.
    assert_eq!(env.limits.steps.get(), 7);
    let env = TestEnv::new();
    env.limits
        .steps
        .set(crate::limits::Limits::DEFAULT.steps - 5);
    assert_eq!(
        eval_string("[range(0, 4)]", &env).unwrap(),
        Value::Unknown(Limits::exhausted())
    );
}

#[test]
fn plain_parameter_and_variable_reads_match_a_full_evaluation() {
    // The same reads written so that they take the parser: values, steps and limits agree.
    let cases = [
        ("[parameters('name')]", "[ parameters('name')]"),
        ("[Variables('v')]", "[variables( 'v')]"),
        ("[parameters('missing')]", "[parameters('missing' )]"),
        ("[variables('(x')]", "[variables ('(x')]"),
    ];
    for (fast, full) in cases {
        assert!(simple_read(&fast[1..fast.len() - 1]).is_some(), "{fast}");
        assert_eq!(simple_read(&full[1..full.len() - 1]), None, "{full}");
        for start in [
            0,
            crate::limits::Limits::DEFAULT.steps - 2,
            crate::limits::Limits::DEFAULT.steps - 1,
        ] {
            let (a, b) = (TestEnv::new(), TestEnv::new());
            a.limits.steps.set(start);
            b.limits.steps.set(start);
            assert_eq!(
                eval_string(fast, &a),
                eval_string(full, &b),
                "{fast} at {start}"
            );
            assert_eq!(a.limits.steps.get(), b.limits.steps.get(), "{fast}");
        }
    }
    for other in [
        "parameters('it''s')",
        "parameters('a')b",
        "concat('a')",
        "parameters('a'",
    ] {
        assert_eq!(simple_read(other), None, "{other}");
    }
}

/// The scope constants are terms in the one encoding of `crate::symbolic`.
#[test]
fn scope_constants_are_symbolic_terms() {
    use crate::resolve::arm::*;
    use crate::symbolic::encode_term;
    for (constant, expr) in [
        (SUBSCRIPTION_PLACEHOLDER, "subscription().subscriptionId"),
        (RESOURCE_GROUP_PLACEHOLDER, "resourceGroup().name"),
        (TENANT_PLACEHOLDER, "subscription().tenantId"),
        (LOCATION_PLACEHOLDER, "resourceGroup().location"),
        (MANAGEMENT_GROUP_PLACEHOLDER, "managementGroup().name"),
    ] {
        assert_eq!(constant, encode_term(expr), "{expr}");
    }
}

#[test]
fn function_table_is_sorted_unique_and_lower_case() {
    let table = functions::TABLE;
    for pair in table.windows(2) {
        assert!(
            pair[0].name < pair[1].name,
            "'{}' must come before '{}', once",
            pair[1].name,
            pair[0].name
        );
    }
    for f in table {
        assert_eq!(f.name, f.display.to_ascii_lowercase(), "{}", f.display);
        // Dotted names are user-defined functions and `list*` names runtime ones: a table entry
        // would hide them.
        assert!(
            !f.name.contains('.') && !f.name.starts_with("list"),
            "{}",
            f.name
        );
        let (min, max) = f.arity;
        assert!(max.is_none_or(|max| min <= max), "{}", f.name);
    }
}

/// Call `name` with `n` arguments `1`.
fn call_with(name: &str, n: usize) -> Value {
    ev(&format!("[{name}({})]", vec!["1"; n].join(", ")))
}

#[test]
fn every_function_in_the_table_dispatches() {
    for f in functions::TABLE {
        // In any spelling, with any number of arguments, it is a function acrlint knows.
        for name in [f.display, f.name, &f.display.to_ascii_uppercase()] {
            for n in 0..5 {
                if let Value::Unknown(u) = call_with(name, n) {
                    assert!(
                        !f.evaluated || !u.reason.contains("which acrlint does not evaluate"),
                        "{name} with {n} arguments: {u:?}"
                    );
                }
            }
        }
        // A number of arguments outside the arity: the function's own message when it checks
        // them itself, else the arity message.
        let (min, max) = f.arity;
        let wrong = max.map(|max| max + 1).into_iter().chain(min.checked_sub(1));
        for n in wrong {
            let v = call_with(f.display, n);
            let Value::Unknown(u) = v else {
                panic!("{} with {n} arguments gave {v:?}", f.display);
            };
            if matches!(f.kind, functions::Kind::Eager(_)) {
                assert_eq!(
                    u.reason,
                    format!("has arguments that '{}' does not accept", f.display)
                );
            }
        }
    }
    // Wrong arities of functions that were missing from the old list of known functions.
    for call in [
        "[contains('a')]",
        "[indexOf('a', 'b', 'c')]",
        "[lastIndexOf()]",
    ] {
        assert!(
            is_unknown(call).reason.starts_with("has arguments that"),
            "{call}"
        );
    }
    // Symbolic arguments that a function does not accept depend on the deployment.
    assert_eq!(
        is_unknown("[contains(resourceGroup().name)]").reason,
        "reads a value known only at deployment time"
    );
}

#[test]
fn function_names_are_listed_as_documented() {
    let names: Vec<&str> = function_names().collect();
    for known in [
        "uniqueString",
        "resourceId",
        "toLower",
        "if",
        "parameters",
        "json",
    ] {
        assert!(names.contains(&known), "{known}");
    }
    // Recognised (its array is checked), but not evaluated.
    assert!(!names.contains(&"sort"));
    assert!(is_unknown("[sort(createArray(2, 1), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]")
        .reason
        .contains("which acrlint does not evaluate"));
    // Known only when deployed: recognised, not evaluated.
    for runtime in ["newGuid", "pickZones"] {
        assert!(!names.contains(&runtime), "{runtime}");
    }
    assert_eq!(names.len(), functions::TABLE.len() - 3);
}

/// A map of records selected by a key known only at deployment is a record of selections:
/// `regions[location].short` is a deployment-time term, as `codes[location]` is.
#[test]
fn records_selected_by_a_deployment_key() {
    let regions = r#"json('{"westeurope": {"short": "weu", "pair": "neu", "zone": "1"}, "northeurope": {"short": "neu", "pair": "weu"}}')"#;
    let short = str_of(&format!(
        "[format('vnet-{{0}}', {regions}[resourceGroup().location].short)]"
    ));
    assert!(short.starts_with("vnet-{json("), "{short}");
    assert!(
        short.ends_with("[resourceGroup().location].short}"),
        "{short}"
    );
    // The same selection is the same value; another property is another.
    assert_eq!(
        ev(&format!("[{regions}[resourceGroup().location].short]")),
        ev(&format!("[{regions}[resourceGroup().location].short]"))
    );
    assert_ne!(
        ev(&format!("[{regions}[resourceGroup().location].short]")),
        ev(&format!("[{regions}[resourceGroup().location].pair]"))
    );
    // A property some member lacks is unknown.
    let zone = is_unknown(&format!("[{regions}[resourceGroup().location].zone]"));
    assert!(
        zone.reason.contains("not a property of every member"),
        "{}",
        zone.reason
    );
}

/// The id of a resource no rule links by id (a storage account), whose name is unknown, still
/// says its type: an endpoint that targets it does not target a registry. Ids of the types that
/// are linked by id (registries, zones, networks) stay plainly unknown: two of them must not be
/// taken for one.
#[test]
fn ids_of_unlinked_types_keep_their_type() {
    let storage =
        is_unknown("[resourceId('Microsoft.Storage/storageAccounts', parameters('missing'))]");
    assert_eq!(storage.depends_on, "parameters('missing')");
    let identity = storage.identity.expect("an identity that says the type");
    let id = crate::model::ids::ResourceId::parse(&identity).unwrap();
    assert!(id.type_is_known() && id.is_type("Microsoft.Storage/storageAccounts"));
    for linked in [
        "Microsoft.ContainerRegistry/registries",
        "Microsoft.Network/privateDnsZones",
        "microsoft.network/virtualNetworks/subnets",
        "Microsoft.Network/privateEndpoints",
    ] {
        let u = is_unknown(&format!("[resourceId('{linked}', parameters('missing'))]"));
        assert_eq!(u.identity, None, "{linked}");
    }
    // Another network type is not linked (an application gateway behind an endpoint).
    let gateway =
        is_unknown("[resourceId('Microsoft.Network/applicationGateways', parameters('missing'))]");
    assert!(gateway.identity.is_some());
    // A type not written may be a registry's.
    assert_eq!(
        is_unknown("[resourceId(parameters('missing'), 'x')]").identity,
        None
    );
}

/// An object key known only at deployment is said to be one, not "a string key, not a string".
#[test]
fn object_keys_known_only_at_deployment() {
    let u = is_unknown("[createObject(resourceGroup().location, 'x')]");
    assert!(
        u.reason.contains("key known only at deployment"),
        "{}",
        u.reason
    );
}

/// An input nobody gave keeps its identity through the text made of it, so that names and ids
/// built the same way from it are the same value; anything else made of it is plainly unknown.
#[test]
fn unknown_inputs_keep_their_identity_through_text() {
    let identity = |s: &str| {
        let u = is_unknown(s);
        assert_eq!(u.depends_on, "parameters('input')", "{s}");
        u.identity
            .map(|i| crate::symbolic::display(&i).into_owned())
    };
    assert_eq!(
        identity("[parameters('input')]").as_deref(),
        Some("{parameters('input')}")
    );
    assert_eq!(
        identity("[resourceId('Microsoft.Network/privateDnsZones', parameters('input'))]")
            .as_deref(),
        Some("/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.Network/privateDnsZones/{parameters('input')}")
    );
    // A resource id is named after the input that names the resource, not its scope; other
    // text after its first input.
    assert_eq!(
        identity("[resourceId(parameters('rg'), 'Microsoft.Network/privateDnsZones', parameters('input'))]")
            .as_deref(),
        Some("/subscriptions/{subscription().subscriptionId}/resourceGroups/{parameters('rg')}/providers/Microsoft.Network/privateDnsZones/{parameters('input')}")
    );
    assert!(identity("[format('{0}/{1}', parameters('input'), parameters('rg'))]").is_some());
    // Unless its type is not written: the unknown type, first, may decide more.
    assert_eq!(
        is_unknown("[resourceId(parameters('input'), parameters('rg'))]").depends_on,
        "parameters('input')"
    );
    assert_eq!(
        identity("[format('acr{0}', parameters('input'))]"),
        identity("[concat('acr', parameters('input'))]")
    );
    // A resource id passed whole and taken apart: each part is a term of the same split, so
    // ids rebuilt from the parts are the same however often they are built.
    let vnet = |sub: &str| {
        identity(&format!("[extensionResourceId(format('/subscriptions/{{0}}/resourceGroups/{{1}}', subscription().subscriptionId, split(parameters('input'), '/')[4]), 'Microsoft.Network/virtualNetworks{sub}', last(split(parameters('input'), '/')){})]", if sub.is_empty() { "" } else { ", 'snet'" }))
    };
    assert_eq!(
        vnet("").as_deref(),
        Some("/subscriptions/{subscription().subscriptionId}/resourceGroups/{split(parameters('input'), '/')[4]}/providers/Microsoft.Network/virtualNetworks/{last(split(parameters('input'), '/'))}")
    );
    assert_eq!(
        vnet("/subnets"),
        vnet("").map(|v| format!("{v}/subnets/snet"))
    );
    let link = is_unknown("[format('{0}/{1}', 'privatelink.azurecr.io', format('to_{0}', last(split(parameters('input'), '/'))))]");
    assert_eq!(link.parent_identity(), Some("privatelink.azurecr.io"));
    // Different parts of one input are not the same value.
    assert_ne!(
        identity("[split(parameters('input'), '/')[2]]"),
        identity("[split(parameters('input'), '/')[4]]")
    );
    assert_ne!(
        identity("[first(split(parameters('input'), '/'))]"),
        identity("[last(split(parameters('input'), '/'))]")
    );
    assert_ne!(
        identity("[parameters('input').hub]"),
        identity("[parameters('input').spoke]")
    );
    assert_eq!(
        identity("[parameters('input').hub]").as_deref(),
        Some("{parameters('input').hub}")
    );
    // Selected by a key nobody gave: not known to be the same as anything.
    assert_eq!(identity("[parameters('obj')[parameters('input')]]"), None);
    // Not text: unknown; but a comparison is the same answer wherever it is made (see
    // `choices_by_one_condition_are_one_value`), and so is a number made of the same input.
    assert_eq!(
        identity("[length(parameters('input'))]").as_deref(),
        Some("{length(parameters('input'))}")
    );
    assert_eq!(
        identity("[add(length(parameters('input')), 1)]").as_deref(),
        Some("{add(length(parameters('input')), 1)}")
    );
    // Other unknowns have none to keep.
    assert_eq!(
        is_unknown("[format('{0}', parameters('missing'))]").identity,
        None
    );
}

/// A choice by a condition that only the deployment or an input nobody gave decides is unknown,
/// but the same choice between the same values is one value wherever it is made: the Azure
/// samples' zone chosen by the cloud's name, named again by its link and its zone group.
#[test]
fn choices_by_one_condition_are_one_value() {
    let identity = |s: &str| {
        is_unknown(s)
            .identity
            .map(|i| crate::symbolic::display(&i).into_owned())
    };
    let zone = "format('privatelink.{0}', if(equals(toLower(environment().name), 'azureusgovernment'), 'azurecr.us', 'azurecr.io'))";
    assert_eq!(
        identity(&format!("[{zone}]")).as_deref(),
        Some("privatelink.{if(equals(toLower(environment().name), 'azureusgovernment'), 'azurecr.us', 'azurecr.io')}")
    );
    let link = is_unknown(&format!("[format('{{0}}/{{1}}', {zone}, 'link')]"));
    assert_eq!(
        link.parent_identity()
            .map(crate::symbolic::display)
            .as_deref(),
        identity(&format!("[{zone}]")).as_deref()
    );
    assert_eq!(
        link.depends_on,
        "equals(toLower(environment().name), 'azureusgovernment')"
    );
    // On an input nobody gave, through a comparison or not.
    assert_eq!(
        identity("[if(parameters('input'), 'a', 'b')]").as_deref(),
        Some("{if(parameters('input'), 'a', 'b')}")
    );
    assert_eq!(
        identity("[if(equals(parameters('input'), 'gov'), 'a', parameters('rg'))]").as_deref(),
        Some("{if(equals(parameters('input'), 'gov'), 'a', parameters('rg'))}")
    );
    // Other choices by the same condition are other values, and the condition is not the choice.
    assert_ne!(
        identity("[if(parameters('input'), 'a', 'b')]"),
        identity("[if(parameters('input'), 'a', 'c')]")
    );
    assert_ne!(
        identity("[if(parameters('input'), 'a', 'b')]"),
        identity("[parameters('input')]")
    );
    // A condition made of more than one comparison, or a branch with no text, has none.
    assert_eq!(
        identity("[if(and(parameters('input'), parameters('rg')), 'a', 'b')]"),
        None
    );
    assert_eq!(
        identity("[if(parameters('input'), 'a', reference('x').y)]"),
        None
    );
}

/// The naming-convention idioms on values known only at deployment: a map of region codes
/// indexed by the deployment's region, a token replaced, an id taken apart at its `/`s.
#[test]
fn deployment_time_keys_replacements_and_ids() {
    let codes = "createObject('westeurope', 'weu', 'northeurope', 'neu')";
    // A string chosen by a deployment-time key is a term of its own, the same for the same map.
    let picked = format!("[{codes}[resourceGroup().location]]");
    assert_eq!(
        str_of(&picked),
        format!("{{{codes}[resourceGroup().location]}}")
    );
    assert_eq!(ev(&picked), ev(&picked));
    assert_eq!(
        str_of(&format!(
            "[format('vnet-{{0}}', {codes}[toLower(resourceGroup().location)])]"
        )),
        format!("vnet-{{{codes}[toLower(resourceGroup().location)]}}")
    );
    // Every member the same: that member; members that are not strings: unknown, saying why.
    assert_eq!(
        str_of("[createObject('a', 'x', 'b', 'x')[resourceGroup().location]]"),
        "x"
    );
    // Members that are lists: which one is not known (records are selected property by
    // property, see `records_selected_by_a_deployment_key`).
    let regions = "createObject('a', createArray('weu'), 'b', createArray('neu'))";
    let u = is_unknown(&format!("[{regions}[resourceGroup().location]]"));
    assert_eq!(u.depends_on, format!("{regions}[resourceGroup().location]"));
    assert_eq!(
        u.reason,
        "selects a member by `resourceGroup().location`, which is only known at deployment"
    );
    // A token replaced in a deployment-time name: the term could hold the token too.
    assert_eq!(
        str_of("[replace(format('RES-{0}', resourceGroup().name), 'RES', 'vnet')]"),
        "{replace('RES-{resourceGroup().name}', 'RES', 'vnet')}"
    );
    // A hash holds only letters and digits: a hyphen is replaced where it is written.
    assert_eq!(
        str_of("[replace(format('cr-{0}-x', uniqueString(resourceGroup().id)), '-', '')]"),
        "cr{uniqueString(resourceGroup().id)}x"
    );
    // An id splits at its `/`s and keeps its terms; other delimiters could cut a term.
    assert_eq!(
        str_of("[last(split(resourceId('Microsoft.Network/virtualNetworks', resourceGroup().name), '/'))]"),
        "{resourceGroup().name}"
    );
    assert_eq!(
        str_of("[split(format('{0}/subnets/pe', resourceId('Microsoft.Network/virtualNetworks', resourceGroup().name)), '/subnets/')[0]]"),
        "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.Network/virtualNetworks/{resourceGroup().name}"
    );
    assert_eq!(
        is_unknown("[split(resourceGroup().name, '-')]").reason,
        "reads a value known only at deployment time"
    );
}

/// `utcNow()` is one value for the whole deployment (ARM allows it only in parameter defaults).
#[test]
fn the_deployment_time_is_a_term() {
    assert_eq!(
        str_of("[format('acr{0}', uniqueString(resourceGroup().id, utcNow()))]"),
        "acr{uniqueString(resourceGroup().id, utcNow())}"
    );
    assert_eq!(str_of("[utcNow('yyyyMMdd')]"), "{utcNow('yyyyMMdd')}");
    // Formats that may write a `/` would split an id.
    for f in ["d", "MM/dd"] {
        assert!(is_unknown(&format!("[utcNow('{f}')]")).reason.contains('/'));
    }
}

#[test]
fn text_with_written_characters_is_not_empty_whatever_input_it_holds() {
    let zone = "format('/subscriptions/{0}/resourceGroups/{1}-dns', subscription().subscriptionId, parameters('input'))";
    assert_eq!(ev(&format!("[empty({zone})]")), Value::Bool(false));
    assert_eq!(ev(&format!("[not(empty({zone}))]")), Value::Bool(true));
    // The input alone, or text that is the input alone, may be empty.
    for unknown in [
        "[empty(parameters('input'))]",
        "[empty(format('{0}', parameters('input')))]",
    ] {
        assert_eq!(is_unknown(unknown).depends_on, "parameters('input')");
    }
}

/// `zones[toLower(environment().name)]`, the Azure ML secure-workspace templates' idiom: in each
/// cloud the map gives that cloud's registry zone, so the selection is the registry zone of
/// whichever cloud it is deployed to, as `'privatelink${environment().suffixes.acrLoginServer}'`.
#[test]
fn members_selected_by_the_cloud() {
    let every_cloud = "privatelink{environment().suffixes.acrLoginServer}";
    let zones = r#"json('{"azurecloud": "privatelink.azurecr.io", "azureusgovernment": "privatelink.azurecr.us", "azurechinacloud": "privatelink.azurecr.cn"}')"#;
    for key in [
        "toLower(environment().name)",
        "environment().name",
        "toUpper(environment().name)",
    ] {
        assert_eq!(str_of(&format!("[{zones}[{key}]]")), every_cloud, "{key}");
    }
    // A cloud the map does not name cannot be deployed to (the lookup fails there).
    let two = r#"json('{"AzureCloud": "privatelink.azurecr.io", "AzureUSGovernment": "privatelink.azurecr.us"}')"#;
    assert_eq!(str_of(&format!("[{two}[environment().name]]")), every_cloud);
    // The same value in every cloud is that value.
    let same = r#"json('{"AzureCloud": "acr", "AzureChinaCloud": "acr"}')"#;
    assert_eq!(str_of(&format!("[{same}[environment().name]]")), "acr");
    // Values that do not follow the cloud's suffix stay a term of the selection.
    let other =
        r#"json('{"AzureCloud": "privatelink.azurecr.io", "AzureUSGovernment": "zone-gov"}')"#;
    let term = str_of(&format!("[{other}[environment().name]]"));
    assert!(
        term.starts_with("{json(") && term.ends_with("[environment().name]}"),
        "{term}"
    );
    // A map that names no cloud cannot be deployed anywhere: unknown, saying so.
    let none = r#"json('{"westeurope": "a"}')"#;
    let u = is_unknown(&format!("[{none}[environment().name]]"));
    assert!(u.reason.contains("no member for any cloud"), "{}", u.reason);
}

/// `substring(name, 0, min(length(name), 24))`, the naming idiom, of a name known only at
/// deployment: a deployment-time value (the same expression is the same name), not unknown.
#[test]
fn the_length_of_a_deployment_time_name() {
    let name = "format('cr{0}', resourceGroup().location)";
    let cut = format!("[substring({name}, 0, min(length({name}), 24))]");
    let text = str_of(&cut);
    assert!(
        text.starts_with("{substring('cr{resourceGroup().location}', 0, min(length("),
        "{text}"
    );
    assert_eq!(ev(&cut), ev(&cut));
    assert!(str_of(&format!("[length({name})]")).starts_with("{length("));
    assert!(str_of(&format!("[max(length({name}), 3, 4)]")).starts_with("{max(length("));
    assert!(str_of(&format!("[add(length({name}), 1)]")).starts_with("{add(length("));
    // Compared, unknown (not a type error), the same comparison one answer wherever it is made.
    let less = is_unknown(&format!("[less(length({name}), 24)]"));
    assert!(
        less.reason.contains("known only at deployment"),
        "{}",
        less.reason
    );
    let again = is_unknown(&format!("[less(length({name}), 24)]"));
    assert!(less.identity.is_some() && less.identity == again.identity);
}
