use serde_json::json;

use super::*;
use crate::source::{FileId, Span};
use crate::value::{Node, ResourceRef, Unknown, Value};

/// `var.*` from a map (absent: unknown), `local.big` a large list, any other `type.name` a
/// resource reference.
struct Scope {
    vars: Vec<(&'static str, serde_json::Value)>,
    limits: Limits,
}

impl Resolver for Scope {
    fn resolve(&mut self, root: &str, ops: &[EvOp], span: Span) -> (Node, usize) {
        let Some(EvOp::Attr(name)) = ops.first() else {
            return (Node::unknown(Unknown::new(root, "bare"), Some(span)), 0);
        };
        if root == "var" {
            let v = match self.vars.iter().find(|(n, _)| n == name) {
                Some((_, j)) => from_serde(j, Some(span)),
                // A root module's variable nobody gave: an input, the same value everywhere.
                None if name.starts_with("input") => {
                    Value::Unknown(Unknown::input(format!("var.{name}"), "has no default"))
                }
                None => Value::Unknown(Unknown::new(format!("var.{name}"), "has no default")),
            };
            return (Node::new(v, Some(span)), 1);
        }
        let r = ResourceRef {
            addr: format!("{root}.{name}"),
            attr: vec![],
        };
        (Node::new(Value::Ref(r), Some(span)), 1)
    }

    fn configured_attr(&mut self, r: &ResourceRef, name: &str) -> Option<Node> {
        // Look-through stand-in: `x.known.location` is configured.
        (r.addr == "x.known" && name == "location")
            .then(|| Node::new(Value::String("westeurope".into()), None))
    }

    fn limits(&mut self) -> &mut Limits {
        &mut self.limits
    }
}

fn scope() -> Scope {
    Scope {
        vars: vec![
            ("name", json!("Demo")),
            ("n", json!(3)),
            ("on", json!(true)),
            ("list", json!(["a", "b", "c"])),
            ("map", json!({"b": 2, "a": 1})),
            (
                "envs",
                json!({"prod": {"public": false}, "dev": {"public": true}}),
            ),
        ],
        limits: Limits::new(1000),
    }
}

/// Values as JSON for comparison; unknowns as `{"unknown": depends_on}`, references as
/// `{"ref": "addr.attr"}`.
fn plain(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => json!(null),
        Value::Bool(b) => json!(b),
        Value::Number(n) => json!(n),
        Value::String(s) => json!(s.as_str()),
        Value::Symbolic(s) => json!({"symbolic": s.to_string()}),
        Value::List(items) => items.iter().map(|n| plain(&n.value)).collect(),
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, n)| (k.to_string(), plain(&n.value)))
                .collect(),
        ),
        Value::Ref(r) => json!({"ref": format!("{}.{}", r.addr, r.attr.join("."))}),
        Value::Unknown(u) => json!({"unknown": u.depends_on}),
    }
}

fn ev_in(s: &mut Scope, src: &str) -> serde_json::Value {
    let e = parse_expr(src, FileId(0), 0).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    plain(&Eval::new(s).value(&e).value)
}

fn ev(src: &str) -> serde_json::Value {
    ev_in(&mut scope(), src)
}

/// Numbers compare as f64 in JSON.
fn num(n: f64) -> serde_json::Value {
    json!(n)
}

fn is_unknown(v: &serde_json::Value) -> bool {
    v.get("unknown").is_some()
}

#[test]
fn literals_and_operators() {
    assert_eq!(ev("null"), json!(null));
    assert_eq!(ev("1 + 2 * 3"), num(7.0));
    assert_eq!(ev("(1 + 2) * 3 - 4 / 2 % 3"), num(7.0));
    assert_eq!(ev("-var.n"), num(-3.0));
    assert_eq!(ev("\"5\" + 1"), num(6.0));
    assert_eq!(ev("1 < 2 && 2 >= 2 && !(3 <= 1) && 4 > 3"), json!(true));
    assert_eq!(
        ev("\"a\" == \"a\" && [1, 2] == [1, 2] && {a = 1} != {a = 2}"),
        json!(true)
    );
    assert_eq!(ev("1 == \"1\""), json!(false));
    assert!(is_unknown(&ev("1 / 0")));
}

#[test]
fn unknown_propagates_unless_a_known_operand_decides() {
    assert_eq!(ev("var.missing"), json!({"unknown": "var.missing"}));
    assert_eq!(ev("var.missing + 1"), json!({"unknown": "var.missing"}));
    assert_eq!(
        ev("\"x-${var.missing}\""),
        json!({"unknown": "var.missing"})
    );
    assert_eq!(ev("true || var.missing"), json!(true));
    assert_eq!(ev("var.missing || true"), json!(true));
    assert_eq!(ev("false && var.missing"), json!(false));
    assert_eq!(ev("true && var.missing"), json!({"unknown": "var.missing"}));
    assert_eq!(ev("var.on ? \"Premium\" : var.missing"), json!("Premium"));
    assert_eq!(ev("var.missing ? 1 : 2"), json!({"unknown": "var.missing"}));
    assert_eq!(
        ev("var.missing == \"x\""),
        json!({"unknown": "var.missing"})
    );
    // An id is never null, known after apply or not; another attribute may be.
    assert_eq!(ev("azurerm_private_dns_zone.acr.id != null"), json!(true));
    assert_eq!(ev("null == azurerm_private_dns_zone.acr.id"), json!(false));
    assert!(is_unknown(&ev("azurerm_private_dns_zone.acr.name != null")));
    // Nor is an id empty; another attribute may be.
    assert_eq!(ev("azurerm_private_dns_zone.acr.id == \"\""), json!(false));
    assert_eq!(ev("\"\" != azurerm_private_dns_zone.acr.id"), json!(true));
    assert!(is_unknown(&ev("azurerm_private_dns_zone.acr.name == \"\"")));
    assert!(is_unknown(&ev("azurerm_private_dns_zone.acr.id == \"x\"")));
    assert_eq!(ev("coalesce(\"a\", var.missing)"), json!("a"));
    assert_eq!(
        ev("coalesce(var.missing, \"a\")"),
        json!({"unknown": "var.missing"})
    );
    assert_eq!(
        ev("try(var.missing, \"a\")"),
        json!({"unknown": "var.missing"})
    );
}

#[test]
fn templates_and_heredocs() {
    assert_eq!(ev("\"${var.name}-acr\""), json!("Demo-acr"));
    assert_eq!(
        ev("\"${var.n}\""),
        num(3.0),
        "a lone interpolation keeps its type"
    );
    assert_eq!(ev("\"n=${var.n} on=${var.on}\""), json!("n=3 on=true"));
    assert_eq!(ev("\"$${literal}\""), json!("${literal}"));
    assert_eq!(
        ev("\"%{ if var.on }yes%{ else }no%{ endif }\""),
        json!("yes")
    );
    assert_eq!(
        ev("\"%{ for x in var.list }${x},%{ endfor }\""),
        json!("a,b,c,")
    );
    assert_eq!(ev("\"a ${~ \"b\" ~} c\""), json!("abc"));
    assert_eq!(ev("<<EOT\nhello ${var.name}\nEOT"), json!("hello Demo\n"));
    assert_eq!(
        ev("<<-EOT\n    indented\n      more\n    EOT"),
        json!("indented\n  more\n")
    );
}

#[test]
fn collections_access_for_and_splat() {
    assert_eq!(ev("[1, \"a\", true]"), json!([1.0, "a", true]));
    assert_eq!(ev("{ a = 1, \"b\" = 2 }"), json!({"a": 1.0, "b": 2.0}));
    assert_eq!(ev("var.list[1]"), json!("b"));
    assert_eq!(ev("var.map[\"b\"]"), num(2.0));
    assert_eq!(ev("var.map.a"), num(1.0));
    assert_eq!(ev("var.envs.prod.public"), json!(false));
    assert!(is_unknown(&ev("var.list[5]")));
    assert_eq!(ev("[for s in var.list : upper(s)]"), json!(["A", "B", "C"]));
    assert_eq!(
        ev("[for i, s in var.list : i if s != \"b\"]"),
        json!([0.0, 2.0])
    );
    assert_eq!(
        ev("{ for k, v in var.envs : k => v.public }"),
        json!({"dev": true, "prod": false})
    );
    assert_eq!(
        ev("{ for s in [\"a\", \"b\", \"a\"] : s => s... }"),
        json!({"a": ["a", "a"], "b": ["b"]})
    );
    assert_eq!(ev("[{ a = 1 }, { a = 2 }][*].a"), json!([1.0, 2.0]));
    assert_eq!(ev("[{ a = 1 }, { a = 2 }].*.a"), json!([1.0, 2.0]));
    // `.*` takes only attribute names: an index after them picks from the list.
    assert_eq!(ev("[{ a = [1] }, { a = [2] }].*.a[1]"), json!([2.0]));
    assert_eq!(ev("[{ a = [1] }, { a = [2] }][*].a[0]"), json!([1.0, 2.0]));
    assert_eq!(ev("null[*]"), json!([]));
    assert_eq!(ev("{ a = 1 }[*].a"), json!([1.0]));
    assert_eq!(
        ev("[for s in var.missing : s]"),
        json!({"unknown": "var.missing"})
    );
}

#[test]
fn references_and_look_through() {
    assert_eq!(
        ev("azurerm_container_registry.acr.id"),
        json!({"ref": "azurerm_container_registry.acr.id"})
    );
    assert_eq!(ev("x.known.location"), json!("westeurope"));
    assert_eq!(
        ev("x.y.rules[0].action"),
        json!({"ref": "x.y.rules.0.action"})
    );
    // Known after apply, but the same attribute is the same value: a symbolic string.
    assert_eq!(
        ev("\"${x.y.name}-pe\""),
        json!({"symbolic": "{x.y.name}-pe"})
    );
    assert_eq!(
        ev("\"${x.y.name}-${var.missing}\""),
        json!({"unknown": "var.missing"})
    );
    // So is `%s` of it in `format`, and nothing else of it.
    assert_eq!(
        ev("format(\"%s/subnets/%s\", x.y.id, \"pe\")"),
        json!({"symbolic": "{x.y.id}/subnets/pe"})
    );
    assert_eq!(ev("format(\"%q\", x.y.id)"), json!({"unknown": "x.y.id"}));
    // What a function makes of such a text is known after apply, and only that part of an
    // object is unknown.
    assert!(is_unknown(&ev("lower(\"acr${x.y.name}\")")));
    assert_eq!(
        ev("{ n = lower(\"acr${x.y.name}\"), p = true }.p"),
        json!(true)
    );
    // Collections of different lengths or keys differ, whatever their elements hold.
    assert_eq!(ev("[x.y.id] != []"), json!(true));
    assert_eq!(ev("{ a = x.y.id } == { b = x.y.id }"), json!(false));
    assert!(is_unknown(&ev("[x.y.id] == [x.z.id]")));
    // An unknown element met makes it unknown, even after a difference (as cty does).
    assert!(is_unknown(&ev("[1, x.y.id] == [2, x.z.id]")));
    assert_eq!(ev("[x.y.id, x.z.id][1]"), json!({"ref": "x.z.id"}));
    assert_eq!(ev("try(x.y.id, \"\")"), json!({"ref": "x.y.id"}));
    assert_eq!(ev("length([x.y.id])"), num(1.0));
}

/// An id's layout is fixed by the resource type: its segments are the resource's attributes,
/// so a module that reads a name back from an id (`split("/", var.vnet_id)[8]`) gets the name.
#[test]
fn the_segments_of_an_id_are_the_resource_attributes() {
    let subnet = "split(\"/\", azurerm_subnet.pe.id)";
    let attr = |i: usize| ev(&format!("{subnet}[{i}]"));
    assert_eq!(
        attr(4),
        json!({"ref": "azurerm_subnet.pe.resource_group_name"})
    );
    assert_eq!(attr(7), json!("virtualNetworks"));
    assert_eq!(
        attr(8),
        json!({"ref": "azurerm_subnet.pe.virtual_network_name"})
    );
    assert_eq!(attr(10), json!({"ref": "azurerm_subnet.pe.name"}));
    // The subscription comes from the provider, not the configuration.
    assert_eq!(attr(2), json!({"unknown": "azurerm_subnet.pe.id"}));
    assert_eq!(ev(&format!("length({subnet})")), num(11.0));
    assert_eq!(
        ev(&format!("element({subnet}, 8)")),
        json!({"ref": "azurerm_subnet.pe.virtual_network_name"})
    );
    assert_eq!(
        ev("basename(azurerm_virtual_network.hub.id)"),
        json!({"ref": "azurerm_virtual_network.hub.name"})
    );
    assert_eq!(
        ev("split(\"/\", azurerm_resource_group.rg.id)[4]"),
        json!({"ref": "azurerm_resource_group.rg.name"})
    );
    // Other types, separators and attributes are known after apply, as before.
    for src in [
        "split(\"/\", azurerm_key_vault.kv.id)[8]",
        "split(\"-\", azurerm_virtual_network.hub.id)[0]",
        "basename(azurerm_virtual_network.hub.guid)",
    ] {
        assert!(is_unknown(&ev(src)), "{src}");
    }
}

#[test]
fn string_functions() {
    assert_eq!(
        ev("format(\"%s-%03d-%.2f-%t-%v-%q\", \"a\", 7, 1.5, true, 2, \"q\")"),
        json!("a-007-1.50-true-2-\"q\"")
    );
    assert_eq!(
        ev("format(\"%-4s|%4s|%%\", \"a\", \"b\")"),
        json!("a   |   b|%")
    );
    assert_eq!(
        ev("formatlist(\"%s=%s\", [\"a\", \"b\"], \"x\")"),
        json!(["a=x", "b=x"])
    );
    assert_eq!(ev("lower(var.name)"), json!("demo"));
    assert_eq!(ev("upper(var.name)"), json!("DEMO"));
    assert_eq!(
        ev("title(\"hello big_world-x\")"),
        json!("Hello Big_world-X")
    );
    assert_eq!(ev("chomp(\"a\\n\\n\")"), json!("a"));
    assert_eq!(ev("trimspace(\"  a \")"), json!("a"));
    assert_eq!(ev("trim(\"?!a?!\", \"!?\")"), json!("a"));
    assert_eq!(ev("trimprefix(\"acrdemo\", \"acr\")"), json!("demo"));
    assert_eq!(ev("trimsuffix(\"demo.io\", \".io\")"), json!("demo"));
    assert_eq!(
        ev("startswith(\"privatelink.azurecr.io\", \"privatelink\")"),
        json!(true)
    );
    assert_eq!(
        ev("endswith(\"privatelink.azurecr.io\", \".cn\")"),
        json!(false)
    );
    assert_eq!(ev("split(\",\", \"a,b\")"), json!(["a", "b"]));
    assert_eq!(ev("join(\"-\", [\"a\", \"b\"], [\"c\"])"), json!("a-b-c"));
    assert_eq!(ev("replace(\"a-b-c\", \"-\", \"\")"), json!("abc"));
    assert_eq!(ev("replace(\"a1b22\", \"/[0-9]+/\", \"#\")"), json!("a#b#"));
    assert_eq!(ev("substr(\"hello\", 1, 3)"), json!("ell"));
    assert_eq!(ev("substr(\"hello\", -3, -1)"), json!("llo"));
    assert_eq!(
        ev("regex(\"^([a-z]+)-([0-9]+)$\", \"acr-12\")"),
        json!(["acr", "12"])
    );
    assert_eq!(
        ev("regex(\"(?P<name>[a-z]+)\", \"acr-12\")"),
        json!({"name": "acr"})
    );
    assert_eq!(ev("regex(\"[0-9]+\", \"acr-12\")"), json!("12"));
    assert_eq!(ev("regexall(\"[0-9]\", \"a1b2\")"), json!(["1", "2"]));
    assert!(is_unknown(&ev("regex(\"x\", \"abc\")")));
    assert_eq!(ev("strrev(\"abc\")"), json!("cba"));
}

#[test]
fn collection_functions() {
    assert_eq!(ev("concat([1], [2, 3])"), json!([1.0, 2.0, 3.0]));
    assert_eq!(
        ev("merge({a = 1, b = 1}, {b = 2}, null)"),
        json!({"a": 1.0, "b": 2.0})
    );
    assert_eq!(ev("lookup(var.map, \"a\", 0)"), num(1.0));
    assert_eq!(ev("lookup(var.map, \"z\", 0)"), num(0.0));
    assert!(is_unknown(&ev("lookup(var.map, \"z\")")));
    assert_eq!(
        ev("length(var.list) + length(var.map) + length(\"abc\")"),
        num(8.0)
    );
    assert_eq!(ev("contains(var.list, \"b\")"), json!(true));
    assert_eq!(ev("contains(var.list, \"z\")"), json!(false));
    assert_eq!(ev("flatten([[1], [[2]], 3])"), json!([1.0, 2.0, 3.0]));
    assert_eq!(ev("keys(var.map)"), json!(["a", "b"]));
    assert_eq!(ev("values(var.map)"), json!([1.0, 2.0]));
    assert_eq!(
        ev("zipmap([\"a\", \"b\"], [1, 2])"),
        json!({"a": 1.0, "b": 2.0})
    );
    assert_eq!(ev("element(var.list, 4)"), json!("b"));
    assert_eq!(ev("distinct([1, 2, 1])"), json!([1.0, 2.0]));
    assert_eq!(ev("compact([\"a\", \"\", null, \"b\"])"), json!(["a", "b"]));
    assert_eq!(ev("one([])"), json!(null));
    assert_eq!(ev("one([\"x\"])"), json!("x"));
    assert_eq!(ev("coalescelist([], [1])"), json!([1.0]));
    assert_eq!(ev("slice(var.list, 1, 3)"), json!(["b", "c"]));
    assert_eq!(ev("reverse(var.list)"), json!(["c", "b", "a"]));
    assert_eq!(ev("sort([\"b\", \"a\"])"), json!(["a", "b"]));
    assert_eq!(ev("index(var.list, \"c\")"), num(2.0));
    assert_eq!(ev("alltrue([true, var.on])"), json!(true));
    assert_eq!(ev("anytrue([false, var.missing, true])"), json!(true));
    assert_eq!(
        ev("alltrue([true, var.missing])"),
        json!({"unknown": "var.missing"})
    );
    assert_eq!(ev("range(3)"), json!([0.0, 1.0, 2.0]));
    assert_eq!(ev("range(1, 7, 3)"), json!([1.0, 4.0]));
    assert_eq!(ev("min(3, 1, 2) + max(1, 5) + abs(-2)"), num(8.0));
    assert_eq!(ev("max([4, 9]...)"), num(9.0));
    assert_eq!(ev("setunion([\"b\"], [\"a\", \"b\"])"), json!(["a", "b"]));
    assert_eq!(
        ev("setproduct([\"z1\", \"z2\"], [\"hub\", \"spoke\"])"),
        json!([
            ["z1", "hub"],
            ["z1", "spoke"],
            ["z2", "hub"],
            ["z2", "spoke"]
        ])
    );
    assert_eq!(ev("setproduct([\"z1\"], [])"), json!([]));
    assert_eq!(
        ev("setproduct([\"z1\"], var.missing)"),
        json!({"unknown": "var.missing"})
    );
    assert_eq!(ev("sum([1, 2, 3])"), num(6.0));
}

#[test]
fn conversion_encoding_and_network_functions() {
    assert_eq!(ev("tostring(1)"), json!("1"));
    assert_eq!(ev("tonumber(\"2.5\")"), num(2.5));
    assert_eq!(ev("tobool(\"true\")"), json!(true));
    assert_eq!(ev("tolist([\"a\"])"), json!(["a"]));
    assert_eq!(ev("toset([\"b\", \"a\", \"b\"])"), json!(["a", "b"]));
    assert_eq!(ev("tomap({a = 1})"), json!({"a": 1.0}));
    assert_eq!(ev("can(var.map.z)"), json!(false));
    assert_eq!(ev("can(var.map.a)"), json!(true));
    assert_eq!(ev("try(var.map.z, \"fallback\")"), json!("fallback"));
    assert_eq!(
        ev("jsonencode({b = [1, true], a = \"x\"})"),
        json!("{\"a\":\"x\",\"b\":[1,true]}")
    );
    assert_eq!(ev("jsondecode(\"{\\\"a\\\": [1]}\").a[0]"), num(1.0));
    assert_eq!(
        ev("cidrsubnet(\"10.0.0.0/16\", 8, 2)"),
        json!("10.0.2.0/24")
    );
    assert_eq!(
        ev("cidrsubnet(\"fd00::/48\", 16, 1)"),
        json!("fd00:0:0:1::/64")
    );
    // newbits of 63 and 64 on IPv6: the limit on the network number does not overflow.
    for (expr, want) in [
        ("cidrsubnet(\"fd00::/64\", 63, 5)", json!("fd00::a/127")),
        ("cidrsubnet(\"fd00::/64\", 64, 5)", json!("fd00::5/128")),
    ] {
        assert_eq!(ev(expr), want, "{expr}");
    }
    // A network number that does not fit in newbits is still refused.
    assert!(ev("cidrsubnet(\"fd00::/64\", 2, 4)").as_str().is_none());
    assert!(ev("cidrsubnet(\"fd00::/64\", 63, -1)").as_str().is_none());
    assert_eq!(ev("cidrhost(\"10.0.1.0/24\", 5)"), json!("10.0.1.5"));
    assert_eq!(ev("cidrhost(\"10.0.1.0/24\", -2)"), json!("10.0.1.254"));
    assert_eq!(ev("cidrnetmask(\"10.0.0.0/12\")"), json!("255.240.0.0"));
    assert_eq!(
        ev("cidrsubnets(\"10.1.0.0/16\", 4, 4, 8)"),
        json!(["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24"])
    );
    assert_eq!(
        ev("unknownfn(1)"),
        json!({"unknown": "unknownfn(...)"}),
        "an unknown function is unknown"
    );
    assert_eq!(ev("timestamp()"), json!({"unknown": "timestamp()"}));
}

/// Expected values computed independently with Python's hashlib, base64 and uuid.uuid5.
#[test]
fn hash_functions() {
    for (expr, want) in [
        ("md5(\"hello world\")", "5eb63bbbe01eeed093cb22bb8f5acdc3"),
        ("md5(\"\")", "d41d8cd98f00b204e9800998ecf8427e"),
        ("sha1(\"hello world\")", "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"),
        (
            "sha256(\"hello world\")",
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
        ),
        (
            "sha512(\"hello world\")",
            "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f\
             989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f",
        ),
        // The UTF-8 bytes are hashed.
        (
            "sha256(\"privatelink.azurecr.io/é\")",
            "b147e2f5554ce553fd6c126c04e0b7161611fca54f1a2810aa38d1edb45e5f3b",
        ),
        // A number is hashed as the string Terraform converts it to.
        ("md5(1)", "c4ca4238a0b923820dcc509a6f75849b"),
        (
            "base64sha256(\"hello world\")",
            "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
        ),
        (
            "base64sha512(\"hello world\")",
            "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==",
        ),
        (
            "uuidv5(\"dns\", \"www.example.com\")",
            "2ed6657d-e927-568b-95e1-2665a8aea6a2",
        ),
        // Terraform's documented examples, one per namespace keyword.
        (
            "uuidv5(\"dns\", \"www.terraform.io\")",
            "a5008fae-b28c-5ba5-96cd-82b4c53552d6",
        ),
        (
            "uuidv5(\"url\", \"https://www.terraform.io/\")",
            "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5",
        ),
        (
            "uuidv5(\"oid\", \"1.3.6.1.4\")",
            "af9d40a5-7a36-5c07-b23a-851cd99fbfa5",
        ),
        (
            "uuidv5(\"x500\", \"CN=Example,C=GB\")",
            "84e09961-4aa4-57f8-95b7-03edb1073253",
        ),
        // The CAF enterprise-scale link name suffix: the VNet id in the URL namespace.
        (
            "uuidv5(\"url\", \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/\
             rg-acr/providers/Microsoft.Network/virtualNetworks/vnet-app\")",
            "608bb643-8605-5a6f-9b47-dad199017d1a",
        ),
        // Any other namespace is given as a UUID (here ARM's guid() namespace).
        (
            "uuidv5(\"{11FB06FB-712D-4DDD-98C7-E71BBD588830}\", \"a-b\")",
            "2d796349-8c7e-55ec-9624-54ece82ed031",
        ),
    ] {
        assert_eq!(ev(expr), json!(want), "{expr}");
    }
    for bad in [
        "uuidv5(\"uri\", \"x\")",
        "uuidv5(\"6ba7b811-9dad-11d1-80b4\", \"x\")",
        "md5([\"a\"])",
        "sha256(null)",
    ] {
        assert_error(bad);
    }
    assert_eq!(
        ev("uuidv5(\"url\", var.missing)"),
        json!({"unknown": "var.missing"})
    );
    assert!(is_unknown(&ev("md5(x.y.id)")));
}

/// Expected values computed independently with Python's base64 and urllib.parse.quote_plus
/// (which keeps the same characters as Go's url.QueryEscape).
#[test]
fn base64_and_url_encoding() {
    for (expr, want) in [
        ("base64encode(\"Hello World\")", "SGVsbG8gV29ybGQ="),
        ("base64encode(\"héllo\")", "aMOpbGxv"),
        ("base64decode(\"SGVsbG8gV29ybGQ=\")", "Hello World"),
        ("base64decode(\"aMOp\\nbGxv\")", "héllo"),
        // Go's decoder is not strict: the unused bits of the last character are ignored.
        ("base64decode(\"YR==\")", "a"),
        ("base64decode(\"\")", ""),
        (
            "urlencode(\"a b/c?d=é&x~y-z_.*!'()\")",
            "a+b%2Fc%3Fd%3D%C3%A9%26x~y-z_.%2A%21%27%28%29",
        ),
    ] {
        assert_eq!(ev(expr), json!(want), "{expr}");
    }
    for bad in [
        // Padding is required, and must end the text.
        "base64decode(\"YQ\")",
        "base64decode(\"YQ==YQ==\")",
        "base64decode(\"Y Q==\")",
        // 0xff is not UTF-8.
        "base64decode(\"/w==\")",
        "urlencode([])",
    ] {
        assert_error(bad);
    }
    assert!(is_unknown(&ev("base64encode(var.missing)")));

    // Growing results are checked against the byte budget.
    let mut s = scope();
    s.limits.bytes = 12;
    assert_eq!(
        ev_in(&mut s, "base64encode(\"abcdefghi\")"),
        json!("YWJjZGVmZ2hp")
    );
    let mut s = scope();
    s.limits.bytes = 11;
    assert!(is_unknown(&ev_in(&mut s, "base64encode(\"abcdefghi\")")));
    assert!(s.limits.size_exceeded);
    let mut s = scope();
    s.limits.bytes = 8;
    assert!(is_unknown(&ev_in(&mut s, "urlencode(\"a/b/c\")")));
    assert!(s.limits.size_exceeded);
}

/// The call fails: an unknown naming the call, not one of its arguments.
fn assert_error(expr: &str) {
    let got = ev(expr);
    assert!(
        got.get("unknown")
            .and_then(|d| d.as_str())
            .is_some_and(|d| d.ends_with("(...)")),
        "{expr} must be an error: {got}"
    );
}

#[test]
fn type_conversion_applies_optional_defaults() {
    let ty = parse_expr(
        "list(object({ name = string, public = optional(bool, false), tags = optional(map(string)) }))",
        FileId(0),
        0,
    )
    .expect("type parses");
    let v = Node::new(
        from_serde(
            &json!([{"name": "a"}, {"name": 1, "public": "true", "extra": 1}]),
            None,
        ),
        None,
    );
    let out = convert_to_type(v, &ty);
    assert_eq!(
        plain(&out.value),
        json!([
            {"name": "a", "public": false, "tags": null},
            {"name": "1", "public": true, "tags": null}
        ])
    );
    assert!(is_primitive_type(None));
    assert!(!is_primitive_type(Some(&ty)));
}

#[test]
fn expansion_budget_is_enforced() {
    let mut s = scope();
    s.limits = Limits::new(100);
    assert!(is_unknown(&ev_in(&mut s, "range(1000)")));
    assert!(s.limits.exhausted);
    assert!(s.limits.exhausted_at.is_some());
    let mut s = scope();
    s.limits = Limits::new(50);
    assert!(is_unknown(&ev_in(
        &mut s,
        "[for a in range(10) : [for b in range(10) : a * b]]"
    )));
}

/// Steps mean the same as in ARM: every expression evaluated counts one, every element produced
/// one more; an expansion the budget refuses costs nothing, so what follows is still evaluated.
#[test]
fn steps_count_expressions_and_elements() {
    let mut s = scope();
    s.limits = Limits::new(1000);
    ev_in(&mut s, "1 + 2");
    // The sum and its two operands.
    assert_eq!(s.limits.steps, 997);
    ev_in(&mut s, "range(4)");
    // The call, its argument and four elements.
    assert_eq!(s.limits.steps, 991);
    assert!(is_unknown(&ev_in(&mut s, "range(100000)")));
    assert!(s.limits.exhausted);
    assert_eq!(ev_in(&mut s, "\"still\""), json!("still"));
}

#[test]
fn deep_input_is_refused_by_the_parser() {
    // hcl-edit stops at 64 levels, so the recursive conversion never sees deeper input.
    for text in [
        "[".repeat(300_000),
        format!("{}1{}", "(".repeat(65), ")".repeat(65)),
    ] {
        let (_, message) = parse_expr(&text, FileId(0), 0).expect_err("too deep");
        assert!(message.contains("nesting depth"), "{message}");
    }
    assert!(parse_expr(
        &format!("{}1{}", "(".repeat(60), ")".repeat(60)),
        FileId(0),
        0
    )
    .is_ok());
}

#[test]
fn errors_become_unknown_naming_the_expression() {
    let e = parse_expr("lookup(var.map, \"zz\")", FileId(0), 0).expect("parses");
    let n = Eval::new(&mut scope()).value(&e);
    let Value::Unknown(u) = n.value else {
        panic!("expected unknown")
    };
    assert_eq!(u.depends_on, "lookup(...)");
    assert!(u.reason.contains("no key \"zz\""), "{}", u.reason);
}

/// The roots and first attributes of the references `visit_refs` reports, in order.
fn refs_of(text: &str) -> Vec<String> {
    let e = parse_expr(text, FileId(0), 0).expect("parses");
    let mut out = Vec::new();
    visit_refs(&e, &mut Vec::new(), &mut |r| {
        let attr = r.first_attr().map(|a| format!(".{a}")).unwrap_or_default();
        let at = &text[r.root_span.start as usize..r.span.end as usize];
        out.push(format!("{}{attr} @{at}", r.root));
    });
    out
}

#[test]
fn visit_refs_finds_free_references_and_skips_names_bound_by_for() {
    assert_eq!(
        refs_of("[for x in var.list : x.name if local.on]"),
        vec!["var.list @var.list", "local.on @local.on"]
    );
    // `for` binds its key and value names, also when they shadow `var` or `local`.
    assert_eq!(
        refs_of("{ for k, var in local.m : k => var.id }"),
        vec!["local.m @local.m"]
    );
    // The collection is evaluated outside the binding.
    assert_eq!(refs_of("[for x in x.items : x]"), vec!["x.items @x.items"]);
    // Templates, template directives, indexes and function arguments.
    assert_eq!(
        refs_of(r#""${var.a}-%{ for s in local.l }${s}${module.m[0].out}%{ endfor }""#),
        vec![
            "var.a @var.a",
            "local.l @local.l",
            "module.m @module.m[0].out"
        ]
    );
    assert_eq!(
        refs_of("lookup(var.m[local.k], each.key, count.index > 0 ? path.module : self.x)"),
        vec![
            "var.m @var.m[local.k]",
            "local.k @local.k",
            "each.key @each.key",
            "count.index @count.index",
            "path.module @path.module",
            "self.x @self.x"
        ]
    );
}

/// A value from JSON written with `serde_json::json!` in a test.
fn from_serde(j: &serde_json::Value, span: Option<Span>) -> Value {
    let parsed = crate::load::json::parse(&j.to_string()).expect("test JSON");
    Value::from_json(&parsed, span)
}

/// The identity of an unknown result, as users read it.
fn identity(src: &str) -> Option<String> {
    let e = parse_expr(src, FileId(0), 0).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    match Eval::new(&mut scope()).value(&e).value {
        Value::Unknown(u) => u
            .identity
            .map(|i| crate::symbolic::display(&i).into_owned()),
        other => panic!("{src} gave {other:?}, expected unknown"),
    }
}

/// A variable nobody gave is one value wherever it is read: text made of it keeps it as its
/// identity (an id built from a VNet id is in that VNet), a call of it has the call's, and
/// nothing else computed from it has one.
#[test]
fn an_input_keeps_its_identity_through_text_only() {
    assert_eq!(identity("var.input").as_deref(), Some("{var.input}"));
    assert_eq!(
        identity("\"${var.input}/subnets/pe\"").as_deref(),
        Some("{var.input}/subnets/pe")
    );
    assert_eq!(identity("\"${var.input}\"").as_deref(), Some("{var.input}"));
    assert_eq!(
        identity("var.on ? var.input : \"x\"").as_deref(),
        Some("{var.input}")
    );
    // A call of it is the call, not the input: the same call is the same value wherever it is
    // made (a record named after a registry named `replace(var.prefix, "-", "")`).
    assert_eq!(
        identity("lower(var.input)").as_deref(),
        Some("{lower(var.input)}")
    );
    assert_eq!(
        identity("\"acr${replace(var.input, \"-\", \"\")}\"").as_deref(),
        Some("acr{replace(var.input, \"-\", \"\")}")
    );
    assert_eq!(identity("replace(var.input, \"-\", var.missing)"), None);
    // Computed from it otherwise, or a part of it: not the input.
    for src in [
        "var.input.hub",
        "var.input[0]",
        "\"%{if var.input}a%{endif}\"",
        "\"${var.input}-${var.missing}\"",
    ] {
        assert_eq!(identity(src), None, "{src}");
    }
    // A variable that is not an input has none.
    assert_eq!(identity("var.missing"), None);
}

/// A choice by a condition nobody gave is unknown, but the same choice between the same values is
/// one value wherever it is made (a zone chosen by the cloud, named again by its link); another
/// choice, or the condition itself, is another value.
#[test]
fn choices_by_one_condition_are_one_value() {
    let acr =
        "var.input == \"usgovernment\" ? \"privatelink.azurecr.us\" : \"privatelink.azurecr.io\"";
    assert_eq!(
        identity(acr).as_deref(),
        Some("{var.input == \"usgovernment\" ? \"privatelink.azurecr.us\" : \"privatelink.azurecr.io\"}")
    );
    assert_eq!(identity(&format!("\"${{{acr}}}\"")), identity(acr));
    assert_eq!(
        identity("var.input ? \"a\" : var.on").as_deref(),
        Some("{var.input ? \"a\" : true}")
    );
    for (a, b) in [
        ("var.input ? \"a\" : \"b\"", "var.input ? \"a\" : \"c\""),
        ("var.input ? \"a\" : \"b\"", "var.input"),
        ("var.input == \"x\"", "var.input"),
        ("var.input == \"x\"", "var.input != \"x\""),
    ] {
        assert_ne!(identity(a), identity(b), "{a} / {b}");
    }
    // Branches that agree decide, whatever the condition.
    assert_eq!(
        ev("var.input == \"usgovernment\" ? \"privatelink.azurecr.io\" : \"privatelink.azurecr.io\""),
        json!("privatelink.azurecr.io")
    );
    // A branch that is not text, or a condition of more than one input: none.
    assert_eq!(identity("var.input ? \"a\" : [\"b\"]"), None);
    assert_eq!(identity("var.input == var.missing ? \"a\" : \"b\""), None);
}

/// `yamldecode(var.yaml)` with `text` as the variable's value, in a scope of `steps`.
fn yaml(text: &str, steps: u64) -> serde_json::Value {
    let mut s = scope();
    s.vars.push(("yaml", json!(text)));
    s.limits = Limits::new(steps);
    ev_in(&mut s, "yamldecode(var.yaml)")
}

/// The subset of YAML 1.2 Terraform decodes: the core schema for plain scalars, text for
/// quoted ones, anchors, aliases and merge keys (the mapping's own keys win), one document.
#[test]
fn yamldecode_reads_the_core_schema() {
    let text = "\
base: &base {location: westeurope, sku: Premium}
app:
  <<: *base
  sku: Standard
  public: false
  count: 0x10
  ratio: 1.5e1
  quoted: 'true'
  empty:
  tilde: ~
  yes: no
  list: [a, *base]
";
    assert_eq!(
        yaml(text, 10_000),
        json!({
            "base": {"location": "westeurope", "sku": "Premium"},
            "app": {
                "sku": "Standard", "public": false, "count": 16.0, "ratio": 15.0,
                "quoted": "true", "empty": null, "tilde": null, "yes": "no",
                "list": ["a", {"location": "westeurope", "sku": "Premium"}],
                "location": "westeurope"
            }
        })
    );
    assert_eq!(yaml("", 100), json!(null));
    assert_eq!(yaml("inf", 100), json!("inf"));
    assert_eq!(yaml("--- [1]\n", 100), json!([1.0]));
    // Terraform refuses these: unknown, not a guess.
    for bad in [
        "a: 1\na: 2\n",
        "--- 1\n--- 2\n",
        "[1, 2",
        "a: *missing\n",
        "? [k]\n: v\n",
    ] {
        assert!(is_unknown(&yaml(bad, 1000)), "{bad:?}");
    }
}

/// Aliases of aliases double at each level; each expansion is charged, so a "billion laughs"
/// stops at the budget. Deep nesting is built on the heap, not the call stack.
#[test]
fn yamldecode_is_bounded_on_hostile_text() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    assert!(is_unknown(&yaml(&bomb, 100_000)));
    let deep = format!("{}x{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(is_unknown(&yaml(&deep, 10_000_000)));
    let block: String = (0..5_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    assert!(is_unknown(&yaml(&block, 10_000_000)));
}
