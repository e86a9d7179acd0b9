use super::*;

fn parse_ok(text: &str) -> File {
    let p = parse(text);
    assert!(p.errors.is_empty(), "errors: {:?}", p.errors);
    check_spans(text, &p);
    p.file
}

fn at<'t>(text: &'t str, span: &Span) -> &'t str {
    &text[span.clone()]
}

/// The value of the only `var` of `text`.
fn var_value(text: &str) -> Expr {
    let f = parse_ok(text);
    match f.items.into_iter().next().map(|i| i.kind) {
        Some(ItemKind::Var { value, .. }) => value,
        other => panic!("not a var: {other:?}"),
    }
}

fn expr(src: &str) -> Expr {
    var_value(&format!("var x = {src}\n"))
}

/// A compact rendering of an expression's shape, to compare trees in one line.
fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Null => "null".into(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Int(n) => n.to_string(),
        ExprKind::String(parts) => {
            let inner: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    StrPart::Lit(s) => format!("{s:?}"),
                    StrPart::Interp(e) => format!("${{{}}}", show(e)),
                })
                .collect();
            format!("str({})", inner.join(" "))
        }
        ExprKind::Array(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| match i {
                    ArrayItem::Item(e) => show(e),
                    ArrayItem::Spread(e) => format!("...{}", show(e)),
                })
                .collect();
            format!("[{}]", inner.join(", "))
        }
        ExprKind::Object(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|i| match i {
                    ObjectItem::Property { key, value, .. } => {
                        let k = match key {
                            Key::Ident(i) => i.name.clone(),
                            Key::String(e) => show(e),
                        };
                        format!("{k}: {}", show(value))
                    }
                    ObjectItem::Spread(e) => format!("...{}", show(e)),
                    ObjectItem::Resource(item) => match &item.kind {
                        ItemKind::Resource(r) => format!("resource {}", r.name.name),
                        _ => "resource?".into(),
                    },
                })
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        ExprKind::Ident(n) => n.clone(),
        ExprKind::Member { target, name, safe } => {
            format!(
                "{}.{}{}",
                show(target),
                if *safe { "?" } else { "" },
                name.name
            )
        }
        ExprKind::Child { target, name } => format!("{}::{}", show(target), name.name),
        ExprKind::Index {
            target,
            index,
            safe,
            from_end,
        } => format!(
            "{}[{}{}{}]",
            show(target),
            if *safe { "?" } else { "" },
            if *from_end { "^" } else { "" },
            show(index)
        ),
        ExprKind::Call { callee, args } => {
            let a: Vec<String> = args.iter().map(show).collect();
            format!("{}({})", show(callee), a.join(", "))
        }
        ExprKind::Unary { op, expr } => format!(
            "({}{})",
            if *op == UnaryOp::Not { "!" } else { "-" },
            show(expr)
        ),
        ExprKind::Binary { op, left, right } => {
            format!("({} {op:?} {})", show(left), show(right))
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => format!("({} ? {} : {})", show(cond), show(then), show(otherwise)),
        ExprKind::Lambda { params, body } => {
            let p: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            format!("(({}) => {})", p.join(", "), show(body))
        }
        ExprKind::Paren(e) => format!("paren({})", show(e)),
        ExprKind::NonNull(e) => format!("{}!", show(e)),
        ExprKind::For {
            item,
            index,
            iterable,
            body,
        } => format!(
            "[for {}{} in {}: {}]",
            item.as_ref().map_or("?", |i| i.name.as_str()),
            index
                .as_ref()
                .map_or(String::new(), |i| format!(", {}", i.name)),
            show(iterable),
            show(body)
        ),
        ExprKind::If { cond, body } => format!("if ({}) {}", show(cond), show(body)),
        ExprKind::Error => "ERROR".into(),
    }
}

fn show_type(t: &TypeExpr) -> String {
    match &t.kind {
        TypeKind::Name { name, args } if args.is_empty() => name.clone(),
        TypeKind::Name { name, args } => {
            let a: Vec<String> = args.iter().map(show_type).collect();
            format!("{name}<{}>", a.join(", "))
        }
        TypeKind::Literal(e) => show(e),
        TypeKind::Union(m) => {
            let a: Vec<String> = m.iter().map(show_type).collect();
            format!("({})", a.join(" | "))
        }
        TypeKind::Array(t) => format!("{}[]", show_type(t)),
        TypeKind::Object(props) => {
            let a: Vec<String> = props
                .iter()
                .map(|p| {
                    let d: Vec<&str> = p.decorators.iter().filter_map(|d| d.name()).collect();
                    let d = if d.is_empty() {
                        String::new()
                    } else {
                        format!("@{} ", d.join(" @"))
                    };
                    format!("{d}{}: {}", p.key, show_type(&p.ty))
                })
                .collect();
            format!("{{{}}}", a.join(", "))
        }
        TypeKind::Tuple(items) => {
            let a: Vec<String> = items.iter().map(show_type).collect();
            format!("[{}]", a.join(", "))
        }
        TypeKind::Nullable(t) => format!("{}?", show_type(t)),
        TypeKind::Resource(s) => format!("resource {:?}", s.value),
        TypeKind::Paren(t) => format!("paren({})", show_type(t)),
        TypeKind::Access(t, p) => format!("{}.{p}", show_type(t)),
        TypeKind::Error => "ERROR".into(),
    }
}

/// Every span of the tree lies in the text, on character boundaries, and inside its parent's.
fn check_spans(text: &str, parsed: &Parsed) {
    fn ok(text: &str, s: &Span, parent: &Span, what: &str) {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "{what} span {s:?} out of the text"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{what} span {s:?} not on char boundaries"
        );
        assert!(
            parent.start <= s.start && s.end <= parent.end,
            "{what} span {s:?} outside its parent's {parent:?}"
        );
    }
    fn expr(text: &str, e: &Expr, parent: &Span) {
        ok(text, &e.span, parent, "expression");
        let p = &e.span;
        match &e.kind {
            ExprKind::String(parts) => {
                for part in parts {
                    if let StrPart::Interp(e) = part {
                        expr(text, e, p);
                    }
                }
            }
            ExprKind::Array(items) => {
                for i in items {
                    match i {
                        ArrayItem::Item(e) | ArrayItem::Spread(e) => expr(text, e, p),
                    }
                }
            }
            ExprKind::Object(items) => {
                for i in items {
                    match i {
                        ObjectItem::Property {
                            decorators,
                            key,
                            value,
                            span,
                        } => {
                            ok(text, span, p, "property");
                            for d in decorators {
                                ok(text, &d.span, p, "decorator");
                                expr(text, &d.call, &d.span);
                            }
                            ok(text, &key.span(), span, "key");
                            expr(text, value, span);
                        }
                        ObjectItem::Spread(e) => expr(text, e, p),
                        ObjectItem::Resource(it) => item(text, it, p),
                    }
                }
            }
            ExprKind::Member { target, name, .. } => {
                expr(text, target, p);
                ok(text, &name.span, p, "member name");
            }
            ExprKind::Child { target, name } => {
                expr(text, target, p);
                ok(text, &name.span, p, "child name");
            }
            ExprKind::Index { target, index, .. } => {
                expr(text, target, p);
                expr(text, index, p);
            }
            ExprKind::Call { callee, args } => {
                expr(text, callee, p);
                for a in args {
                    expr(text, a, p);
                }
            }
            ExprKind::Unary { expr: e, .. } | ExprKind::Paren(e) | ExprKind::NonNull(e) => {
                expr(text, e, p)
            }
            ExprKind::Binary { left, right, .. } => {
                expr(text, left, p);
                expr(text, right, p);
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                expr(text, cond, p);
                expr(text, then, p);
                expr(text, otherwise, p);
            }
            ExprKind::Lambda { params, body } => {
                for i in params {
                    ok(text, &i.span, p, "lambda parameter");
                }
                expr(text, body, p);
            }
            ExprKind::For {
                item,
                index,
                iterable,
                body,
            } => {
                for i in item.iter().chain(index) {
                    ok(text, &i.span, p, "loop variable");
                }
                expr(text, iterable, p);
                expr(text, body, p);
            }
            ExprKind::If { cond, body } => {
                expr(text, cond, p);
                expr(text, body, p);
            }
            _ => {}
        }
    }
    fn ty(text: &str, t: &TypeExpr, parent: &Span) {
        ok(text, &t.span, parent, "type");
        let p = &t.span;
        match &t.kind {
            TypeKind::Name { args, .. } => args.iter().for_each(|a| ty(text, a, p)),
            TypeKind::Literal(e) => expr(text, e, p),
            TypeKind::Union(m) | TypeKind::Tuple(m) => m.iter().for_each(|a| ty(text, a, p)),
            TypeKind::Array(t) | TypeKind::Nullable(t) | TypeKind::Paren(t) => ty(text, t, p),
            TypeKind::Access(t, _) => ty(text, t, p),
            TypeKind::Object(props) => {
                for prop in props {
                    ok(text, &prop.span, p, "type property");
                    ty(text, &prop.ty, &prop.span);
                }
            }
            TypeKind::Resource(s) => ok(text, &s.span, p, "resource type"),
            TypeKind::Error => {}
        }
    }
    fn item(text: &str, it: &Item, parent: &Span) {
        ok(text, &it.span, parent, "item");
        let whole = 0..text.len();
        for d in &it.decorators {
            ok(text, &d.span, &whole, "decorator");
            assert!(d.span.end <= it.span.start, "decorator after its item");
            expr(text, &d.call, &d.span);
        }
        let p = &it.span;
        match &it.kind {
            ItemKind::TargetScope(e) => expr(text, e, p),
            ItemKind::Metadata { name, value }
            | ItemKind::ParamValue { name, value }
            | ItemKind::Assert { name, value } => {
                ok(text, &name.span, p, "name");
                expr(text, value, p);
            }
            ItemKind::Param {
                name,
                ty: t,
                default,
            } => {
                ok(text, &name.span, p, "name");
                ty(text, t, p);
                if let Some(d) = default {
                    expr(text, d, p);
                }
            }
            ItemKind::Var { name, ty: t, value } => {
                ok(text, &name.span, p, "name");
                if let Some(t) = t {
                    ty(text, t, p);
                }
                expr(text, value, p);
            }
            ItemKind::Resource(r) => {
                ok(text, &r.name.span, p, "name");
                ok(text, &r.type_string.span, p, "type string");
                expr(text, &r.body, p);
            }
            ItemKind::Module { name, path, body } | ItemKind::Test { name, path, body } => {
                ok(text, &name.span, p, "name");
                ok(text, &path.span, p, "path");
                expr(text, body, p);
            }
            ItemKind::Output { name, ty: t, value } => {
                ok(text, &name.span, p, "name");
                ty(text, t, p);
                expr(text, value, p);
            }
            ItemKind::Type { name, ty: t } => {
                ok(text, &name.span, p, "name");
                ty(text, t, p);
            }
            ItemKind::Func {
                name,
                params,
                ret,
                body,
            } => {
                ok(text, &name.span, p, "name");
                for (n, t) in params {
                    ok(text, &n.span, p, "parameter");
                    ty(text, t, p);
                }
                ty(text, ret, p);
                expr(text, body, p);
            }
            ItemKind::Import { symbols, from } => {
                if let ImportSymbols::Named(list) = symbols {
                    for (a, b) in list {
                        ok(text, &a.span, p, "import");
                        if let Some(b) = b {
                            ok(text, &b.span, p, "alias");
                        }
                    }
                }
                if let Some(f) = from {
                    ok(text, &f.span, p, "from");
                }
            }
            ItemKind::Extension { span } => ok(text, span, p, "extension"),
            ItemKind::Using { path } => {
                if let Some(s) = path {
                    ok(text, &s.span, p, "path")
                }
            }
            ItemKind::Extends { path } => ok(text, &path.span, p, "path"),
            ItemKind::Error => {}
        }
    }
    let whole = 0..text.len();
    for it in &parsed.file.items {
        item(text, it, &whole);
    }
    for e in &parsed.errors {
        ok(text, &e.span, &whole, "error");
    }
}
/// Parse every `.bicep` and `.bicepparam` file under `$ACRLINT_BICEP_CORPUS` and report how many
/// parse without error, the speed, and the first error of each failing file grouped by message:
/// `ACRLINT_BICEP_CORPUS=/tmp/avm cargo test --release --lib bicep_corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn bicep_corpus() {
    let Ok(root) = std::env::var("ACRLINT_BICEP_CORPUS") else {
        eprintln!("ACRLINT_BICEP_CORPUS is not set");
        return;
    };
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if entry.file_type().is_file() && (ext == "bicep" || ext == "bicepparam") {
            if let Ok(text) = std::fs::read_to_string(path) {
                files.push((path.to_path_buf(), ext == "bicepparam", text));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let (mut ok_files, mut bytes, mut params, mut params_ok) = (0usize, 0usize, 0usize, 0usize);
    let started = std::time::Instant::now();
    let mut results = Vec::with_capacity(files.len());
    for (_, _, text) in &files {
        bytes += text.len();
        results.push(parse(text));
    }
    let elapsed = started.elapsed();
    // A cross-check of the tree: top-level statements found = lines that start with a statement
    // keyword at the first column (outside multi-line strings and comments, which the corpus
    // does not put there).
    let keywords = [
        "targetScope",
        "metadata",
        "param",
        "var",
        "resource",
        "module",
        "output",
        "type",
        "func",
        "import",
        "extension",
        "provider",
        "using",
        "assert",
        "extends",
        "test",
    ];
    let mut count_mismatches = Vec::new();
    for ((path, is_param, text), parsed) in files.iter().zip(&results) {
        check_spans(text, parsed);
        let expected = text
            .trim_start_matches('\u{feff}')
            .lines()
            .filter(|l| {
                keywords.iter().any(|k| {
                    l.strip_prefix(k)
                        .is_some_and(|rest| rest.starts_with([' ', '\t', '{', '*', '\'']))
                })
            })
            .count();
        if parsed.errors.is_empty() && expected != parsed.file.items.len() {
            count_mismatches.push(format!(
                "{}: {} statement lines, {} items",
                path.display(),
                expected,
                parsed.file.items.len()
            ));
        }
        if *is_param {
            params += 1;
        }
        match parsed.errors.first() {
            None => {
                ok_files += 1;
                if *is_param {
                    params_ok += 1;
                }
            }
            Some(e) => {
                let line = text[..e.span.start.min(text.len())].matches('\n').count() + 1;
                groups
                    .entry(e.message.clone())
                    .or_default()
                    .push(format!("{}:{line}", path.display()));
            }
        }
    }
    eprintln!(
        "files: {}, parsed with no error: {} ({:.2}%); .bicepparam: {} ({} with no error)",
        files.len(),
        ok_files,
        100.0 * ok_files as f64 / files.len().max(1) as f64,
        params,
        params_ok
    );
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "{:.1} MB in {:.3} s: {:.1} MB/s",
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    eprintln!("statement count mismatches: {}", count_mismatches.len());
    for m in count_mismatches.iter().take(10) {
        eprintln!("    {m}");
    }
    for (message, places) in &groups {
        eprintln!("{} × {message}", places.len());
        let shown = if std::env::var_os("ACRLINT_BICEP_CORPUS_ALL").is_some() {
            places.len()
        } else {
            5
        };
        for p in places.iter().take(shown) {
            eprintln!("    {p}");
        }
    }
}

// ----- statements -----

#[test]
fn target_scope_metadata_and_spans() {
    let text = "targetScope = 'subscription'\nmetadata owner = 'team'\n";
    let f = parse_ok(text);
    assert_eq!(f.items.len(), 2);
    assert_eq!(at(text, &f.items[0].span), "targetScope = 'subscription'");
    match &f.items[0].kind {
        ItemKind::TargetScope(e) => assert_eq!(show(e), "str(\"subscription\")"),
        k => panic!("{k:?}"),
    }
    match &f.items[1].kind {
        ItemKind::Metadata { name, value } => {
            assert_eq!(at(text, &name.span), "owner");
            assert_eq!(at(text, &value.span), "'team'");
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn params_with_decorators() {
    let text = "@allowed([\n  'a'\n  'b' // comment\n])\n@secure()\n@sys.description('The name')\n@minLength(3)\nparam name string = 'a'\n\nparam tags object?\nparam n int\n@export()\nparam vnet resource 'Microsoft.Network/virtualNetworks@2024-05-01'\n";
    let f = parse_ok(text);
    assert_eq!(f.items.len(), 4);
    let p = &f.items[0];
    let names: Vec<_> = p.decorators.iter().filter_map(|d| d.name()).collect();
    assert_eq!(names, ["allowed", "secure", "description", "minLength"]);
    assert_eq!(show(&p.decorators[0].args()[0]), "[str(\"a\"), str(\"b\")]");
    assert_eq!(
        at(text, &p.decorators[2].span),
        "@sys.description('The name')"
    );
    assert_eq!(at(text, &p.span), "param name string = 'a'");
    match &p.kind {
        ItemKind::Param { name, ty, default } => {
            assert_eq!(at(text, &name.span), "name");
            assert_eq!(show_type(ty), "string");
            assert_eq!(show(default.as_ref().unwrap()), "str(\"a\")");
        }
        k => panic!("{k:?}"),
    }
    match &f.items[1].kind {
        ItemKind::Param { ty, default, .. } => {
            assert!(ty.is_nullable());
            assert_eq!(at(text, &ty.span), "object?");
            assert!(default.is_none());
        }
        k => panic!("{k:?}"),
    }
    match &f.items[3].kind {
        ItemKind::Param { ty, .. } => assert_eq!(
            show_type(ty),
            "resource \"Microsoft.Network/virtualNetworks@2024-05-01\""
        ),
        k => panic!("{k:?}"),
    }
    assert_eq!(f.items[3].decorators[0].name(), Some("export"));
}

#[test]
fn vars_typed_and_untyped() {
    let text = "var a = 1\nvar b string[] = []\n";
    let f = parse_ok(text);
    match (&f.items[0].kind, &f.items[1].kind) {
        (
            ItemKind::Var {
                ty: None, value, ..
            },
            ItemKind::Var {
                ty: Some(t),
                value: v2,
                ..
            },
        ) => {
            assert_eq!(show(value), "1");
            assert_eq!(show_type(t), "string[]");
            assert_eq!(show(v2), "[]");
        }
        k => panic!("{k:?}"),
    }
}

const RESOURCES: &str = "resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: acrName
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: 'vnet'
  resource subnet 'subnets' existing = {
    name: 'pe'
  }
  @description('child')
  resource other 'subnets@2024-05-01' = {
    name: 'other'
  }
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = if (deployLink) {
  parent: zone
  name: 'link'
}

@batchSize(2)
resource pes 'Microsoft.Network/privateEndpoints@2024-05-01' = [for (cfg, i) in endpoints: if (cfg.enabled) {
  name: 'pe-${i}'
  properties: {
    subnet: {
      id: vnet::subnet.id
    }
  }
}]
";

#[test]
fn resources_nested_conditional_and_loops() {
    let f = parse_ok(RESOURCES);
    assert_eq!(f.items.len(), 4);
    let ItemKind::Resource(acr) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(acr.name.name, "acr");
    assert_eq!(
        acr.type_string.value,
        "Microsoft.ContainerRegistry/registries@2023-07-01"
    );
    assert_eq!(
        at(RESOURCES, &acr.type_string.span),
        "'Microsoft.ContainerRegistry/registries@2023-07-01'"
    );
    assert!(!acr.existing);
    assert!(at(RESOURCES, &f.items[0].span).starts_with("resource acr"));
    assert!(at(RESOURCES, &f.items[0].span).ends_with("'Disabled'\n  }\n}"));
    let ExprKind::Object(props) = &acr.body.kind else {
        panic!()
    };
    match &props[3] {
        ObjectItem::Property { key, span, .. } => {
            assert_eq!(at(RESOURCES, &key.span()), "properties");
            assert_eq!(
                at(RESOURCES, span),
                "properties: {\n    publicNetworkAccess: 'Disabled'\n  }"
            );
        }
        p => panic!("{p:?}"),
    }

    let ItemKind::Resource(vnet) = &f.items[1].kind else {
        panic!()
    };
    assert!(vnet.existing);
    assert_eq!(
        show(&vnet.body),
        "{name: str(\"vnet\"), resource subnet, resource other}"
    );
    let ExprKind::Object(props) = &vnet.body.kind else {
        panic!()
    };
    let ObjectItem::Resource(child) = &props[2] else {
        panic!()
    };
    assert_eq!(child.decorators[0].name(), Some("description"));
    assert!(at(RESOURCES, &child.span).starts_with("resource other 'subnets@2024-05-01' = {"));
    let ItemKind::Resource(c) = &child.kind else {
        panic!()
    };
    assert_eq!(c.type_string.value, "subnets@2024-05-01");

    let ItemKind::Resource(link) = &f.items[2].kind else {
        panic!()
    };
    assert_eq!(
        show(&link.body),
        "if (deployLink) {parent: zone, name: str(\"link\")}"
    );
    assert!(at(RESOURCES, &link.body.span).starts_with("if (deployLink) {"));

    let pes = &f.items[3];
    assert_eq!(pes.decorators[0].name(), Some("batchSize"));
    let ItemKind::Resource(r) = &pes.kind else {
        panic!()
    };
    assert_eq!(
        show(&r.body),
        "[for cfg, i in endpoints: if (cfg.enabled) {name: str(\"pe-\" ${i}), properties: {subnet: {id: vnet::subnet.id}}}]"
    );
}

#[test]
fn modules_with_registry_paths() {
    let text = "module a './dns.bicep' = {\n  name: 'a'\n  params: {\n    x: 1\n  }\n}\nmodule b 'br/public:avm/res/network/private-endpoint:0.7.0' = if (x) {\n  name: 'b'\n}\nmodule c 'br:contoso.azurecr.io/bicep/modules/storage:v1' = [for s in list: {\n  name: s\n}]\nmodule d 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {\n  name: 'd'\n}\n";
    let f = parse_ok(text);
    let paths: Vec<String> = f
        .items
        .iter()
        .map(|i| match &i.kind {
            ItemKind::Module { path, .. } => path.value.clone(),
            k => panic!("{k:?}"),
        })
        .collect();
    assert_eq!(
        paths,
        [
            "./dns.bicep",
            "br/public:avm/res/network/private-endpoint:0.7.0",
            "br:contoso.azurecr.io/bicep/modules/storage:v1",
            "ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0"
        ]
    );
    match &f.items[2].kind {
        ItemKind::Module { body, .. } => assert_eq!(show(body), "[for s in list: {name: s}]"),
        k => panic!("{k:?}"),
    }
}

#[test]
fn outputs() {
    let text = "output id string = acr.id\noutput r resource 'Microsoft.ContainerRegistry/registries@2023-07-01' = acr\noutput o object? = null\n";
    let f = parse_ok(text);
    match &f.items[1].kind {
        ItemKind::Output { ty, value, .. } => {
            assert!(
                matches!(&ty.kind, TypeKind::Resource(s) if s.value.starts_with("Microsoft.ContainerRegistry"))
            );
            assert_eq!(show(value), "acr");
        }
        k => panic!("{k:?}"),
    }
    assert_eq!(at(text, &f.items[0].span), "output id string = acr.id");
}

fn type_of(text: &str) -> TypeExpr {
    let f = parse_ok(text);
    match f.items.into_iter().next().map(|i| i.kind) {
        Some(ItemKind::Type { ty, .. }) => ty,
        k => panic!("{k:?}"),
    }
}

#[test]
fn types() {
    assert_eq!(
        show_type(&type_of("type t = 'a' | 'b' | 1 | -1 | true | null\n")),
        "(str(\"a\") | str(\"b\") | 1 | (-1) | true | null)"
    );
    assert_eq!(
        show_type(&type_of("type t =\n  | 'a'\n  | 'b'\n")),
        "(str(\"a\") | str(\"b\"))"
    );
    let text = "type t = {\n  @description('the name')\n  @minLength(1)\n  name: string\n  'other-key': int?\n  *: string\n}\n";
    let t = type_of(text);
    assert_eq!(
        show_type(&t),
        "{@description @minLength name: string, other-key: int?, *: string}"
    );
    let TypeKind::Object(props) = &t.kind else {
        panic!()
    };
    assert_eq!(at(text, &props[0].span), "name: string");
    assert_eq!(
        show_type(&type_of("type t = [string, int[]]\n")),
        "[string, int[]]"
    );
    assert_eq!(
        show_type(&type_of("type t = { a: string, b: int }\n")),
        "{a: string, b: int}"
    );
    assert_eq!(
        show_type(&type_of(
            "type t = resourceInput<'Microsoft.Network/virtualNetworks@2024-05-01'>.properties\n"
        )),
        "resourceInput<str(\"Microsoft.Network/virtualNetworks@2024-05-01\")>.properties"
    );
    assert_eq!(
        show_type(&type_of("type t = other.prop[*].x\n")),
        "other.prop.[*].x"
    );
    assert_eq!(
        show_type(&type_of("type t = (string | int)[]\n")),
        "paren((string | int))[]"
    );
    assert_eq!(show_type(&type_of("type t = ns.myType\n")), "ns.myType");
    assert_eq!(
        show_type(&type_of("type t = sys.resourceOutput<'A/b@1'>\n")),
        "sys.resourceOutput<str(\"A/b@1\")>"
    );
    assert_eq!(show_type(&type_of("type t = t2.*\n")), "t2.*");
    assert_eq!(show_type(&type_of("type t = t2[0]\n")), "t2.[0]");
    let u = type_of("type t = string | null\n");
    assert!(u.is_nullable());
}

#[test]
fn functions() {
    let text = "func name(prefix string, n int) string => '${prefix}-${n}'\n@export()\nfunc f() object => {\n  a: 1\n}\n";
    let f = parse_ok(text);
    match &f.items[0].kind {
        ItemKind::Func {
            name,
            params,
            ret,
            body,
        } => {
            assert_eq!(name.name, "name");
            assert_eq!(params.len(), 2);
            assert_eq!(at(text, &params[1].0.span), "n");
            assert_eq!(show_type(&params[1].1), "int");
            assert_eq!(show_type(ret), "string");
            assert_eq!(show(body), "str(${prefix} \"-\" ${n})");
        }
        k => panic!("{k:?}"),
    }
    assert_eq!(f.items[1].decorators[0].name(), Some("export"));
}

#[test]
fn imports_extensions_and_providers() {
    let text = "import {a, b as c} from './x.bicep'\nimport {\n  d\n  'e-f' as g\n} from 'br/public:x:1'\nimport * as ns from './y.bicep'\nimport 'az@1.0.0'\nimport 'kubernetes@1.0.0' with {\n  namespace: 'default'\n} as k8s\nprovider microsoftGraph\nextension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview' as graph\nextension kubernetes with { namespace: 'x' } as k\n";
    let f = parse_ok(text);
    assert_eq!(f.items.len(), 8);
    match &f.items[0].kind {
        ItemKind::Import {
            symbols: ImportSymbols::Named(list),
            from: Some(from),
        } => {
            assert_eq!(list[0].0.name, "a");
            assert!(list[0].1.is_none());
            assert_eq!(list[1].1.as_ref().unwrap().name, "c");
            assert_eq!(from.value, "./x.bicep");
        }
        k => panic!("{k:?}"),
    }
    match &f.items[1].kind {
        ItemKind::Import {
            symbols: ImportSymbols::Named(list),
            ..
        } => {
            assert_eq!(list[1].0.name, "e-f");
            assert_eq!(list[1].1.as_ref().unwrap().name, "g");
        }
        k => panic!("{k:?}"),
    }
    assert!(matches!(
        &f.items[2].kind,
        ItemKind::Import { symbols: ImportSymbols::Wildcard(ns), from: Some(_) } if ns.name == "ns"
    ));
    for i in [3, 4] {
        assert!(matches!(
            &f.items[i].kind,
            ItemKind::Import {
                symbols: ImportSymbols::None,
                from: None
            }
        ));
    }
    for i in 5..8 {
        match &f.items[i].kind {
            ItemKind::Extension { span } => assert_eq!(span, &f.items[i].span),
            k => panic!("{k:?}"),
        }
    }
    assert_eq!(at(text, &f.items[5].span), "provider microsoftGraph");
}

#[test]
fn bicepparam_files() {
    let text = "using './main.bicep'\n\nparam name = 'acr'\nparam sku = {\n  name: 'Premium'\n}\nvar v = 1\nimport { t } from './types.bicep'\n";
    let f = parse_ok(text);
    match &f.items[0].kind {
        ItemKind::Using { path: Some(p) } => {
            assert_eq!(p.value, "./main.bicep");
            assert_eq!(at(text, &p.span), "'./main.bicep'");
        }
        k => panic!("{k:?}"),
    }
    match &f.items[1].kind {
        ItemKind::ParamValue { name, value } => {
            assert_eq!(name.name, "name");
            assert_eq!(show(value), "str(\"acr\")");
        }
        k => panic!("{k:?}"),
    }
    assert!(matches!(&f.items[2].kind, ItemKind::ParamValue { .. }));
    let f = parse_ok("using none\nextends './base.bicepparam'\n");
    assert!(matches!(&f.items[0].kind, ItemKind::Using { path: None }));
    assert!(
        matches!(&f.items[1].kind, ItemKind::Extends { path } if path.value == "./base.bicepparam")
    );
    let f = parse_ok("using 'main.bicep' with {\n  mode: 'stack'\n}\n");
    assert!(matches!(
        &f.items[0].kind,
        ItemKind::Using { path: Some(_) }
    ));
}

#[test]
fn assert_and_test_statements() {
    let f = parse_ok("assert ok = length(x) > 0\ntest t 'main.bicep' = {\n  params: {}\n}\n");
    assert!(matches!(&f.items[0].kind, ItemKind::Assert { name, .. } if name.name == "ok"));
    assert!(matches!(&f.items[1].kind, ItemKind::Test { path, .. } if path.value == "main.bicep"));
}

// ----- expressions -----

#[test]
fn strings_escapes_and_interpolation() {
    assert_eq!(
        show(&expr(r"'a\\b\'c\nd\re\tf\$g\u{1F600}'")),
        "str(\"a\\\\b'c\\nd\\re\\tf$g😀\")"
    );
    assert_eq!(show(&expr("''")), "str()");
    assert_eq!(
        show(&expr("'x-${name}-${'in${1}ner'}'")),
        "str(\"x-\" ${name} \"-\" ${str(\"in\" ${1} \"ner\")})"
    );
    assert_eq!(show(&expr(r"'\${not}'")), "str(\"${not}\")");
    let text = "var x = '''\nline1\n  'q' \\n ${no}\n'''\n";
    assert_eq!(
        show(&var_value(text)),
        "str(\"line1\\n  'q' \\\\n ${no}\\n\")"
    );
    assert_eq!(
        show(&expr("$'''\na ${b} $${c}\n'''")),
        "str(\"a \" ${b} \" $\" ${c} \"\\n\")"
    );
    assert_eq!(show(&expr("$$'''${a}$${b}'''")), "str(\"${a}\" ${b})");
    let text = "var x = 'a${b}c'\n";
    let e = var_value(text);
    assert_eq!(at(text, &e.span), "'a${b}c'");
    let ExprKind::String(parts) = &e.kind else {
        panic!()
    };
    let StrPart::Interp(b) = &parts[1] else {
        panic!()
    };
    assert_eq!(at(text, &b.span), "b");
}

#[test]
fn integers() {
    assert_eq!(show(&expr("9223372036854775807")), "9223372036854775807");
    assert_eq!(show(&expr("-9223372036854775808")), "-9223372036854775808");
    assert_eq!(show(&expr("-5")), "(-5)");
    let p = parse("var x = 9223372036854775808\nvar y = 1\n");
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].span, 8..27);
    assert!(p.errors[0].message.contains("out of range"));
    assert_eq!(p.file.items.len(), 2);
}

#[test]
fn arrays_and_objects() {
    assert_eq!(show(&expr("[1, 2, 3]")), "[1, 2, 3]");
    assert_eq!(show(&expr("[\n  1\n  2\n]")), "[1, 2]");
    assert_eq!(show(&expr("[\n  1, 2\n  3\n]")), "[1, 2, 3]");
    assert_eq!(show(&expr("[1, 2,]")), "[1, 2]");
    assert_eq!(show(&expr("[]")), "[]");
    assert_eq!(show(&expr("[...a, 1]")), "[...a, 1]");
    assert_eq!(
        show(&expr("{\n  a: 1\n  'b-c': 2, d: 3\n  '${k}': 4\n  resource: 5\n  if: 6\n  null: 7\n  ...other\n}")),
        "{a: 1, str(\"b-c\"): 2, d: 3, str(${k}): 4, resource: 5, if: 6, null: 7, ...other}"
    );
    assert_eq!(show(&expr("{ a: 1, b: [] }")), "{a: 1, b: []}");
    assert_eq!(show(&expr("{}")), "{}");
    let text = "var x = {\n  a: 1 /* c */\n  // c\n  /* multi\n  line */ b: 2\n}\n";
    assert_eq!(show(&var_value(text)), "{a: 1, b: 2}");
}

#[test]
fn operator_precedence() {
    assert_eq!(
        show(&expr("a ?? b || c && d == e < f + g * h")),
        "(a Coalesce (b Or (c And (d Eq (e Lt (f Add (g Mul h)))))))"
    );
    assert_eq!(show(&expr("a - b - c")), "((a Sub b) Sub c)");
    assert_eq!(show(&expr("a % b / c")), "((a Mod b) Div c)");
    assert_eq!(
        show(&expr("a =~ b != c !~ d")),
        "(((a EqI b) NotEq c) NotEqI d)"
    );
    assert_eq!(
        show(&expr("a >= b && c <= d")),
        "((a GtEq b) And (c LtEq d))"
    );
    assert_eq!(show(&expr("a > b || c")), "((a Gt b) Or c)");
    assert_eq!(show(&expr("a ? b : c ? d : e")), "(a ? b : (c ? d : e))");
    assert_eq!(
        show(&expr("a || b ? c ?? d : e")),
        "((a Or b) ? (c Coalesce d) : e)"
    );
    assert_eq!(show(&expr("!a.b && -c")), "((!a.b) And (-c))");
    assert_eq!(show(&expr("(a + b) * c")), "(paren((a Add b)) Mul c)");
    let e = expr("a +  b");
    let ExprKind::Binary { right, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(right.span, 13..14);
}

#[test]
fn postfix_access_and_calls() {
    assert_eq!(
        show(&expr("a.b.?c::d[0][?e][^1].f(1, 'x')!.g")),
        "a.b.?c::d[0][?e][^1].f(1, str(\"x\"))!.g"
    );
    assert_eq!(
        show(&expr("az.resourceGroup().location")),
        "az.resourceGroup().location"
    );
    assert_eq!(show(&expr("concat(a, b)")), "concat(a, b)");
    assert_eq!(show(&expr("f()")), "f()");
    assert_eq!(show(&expr("f(\n  a,\n  b\n)")), "f(a, b)");
    let text = "var x = acr.listKeys().x\n";
    let e = var_value(text);
    let ExprKind::Member { target, name, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(at(text, &target.span), "acr.listKeys()");
    assert_eq!(at(text, &name.span), "x");
}

#[test]
fn lambdas_and_loops() {
    assert_eq!(show(&expr("map(xs, x => x.id)")), "map(xs, ((x) => x.id))");
    assert_eq!(
        show(&expr("reduce(xs, 0, (acc, x) => acc + x)")),
        "reduce(xs, 0, ((acc, x) => (acc Add x)))"
    );
    assert_eq!(show(&expr("() => 1")), "(() => 1)");
    assert_eq!(show(&expr("map(xs, x =>\n  x)")), "map(xs, ((x) => x))");
    assert_eq!(
        show(&expr("[for x in xs: x.name]")),
        "[for x in xs: x.name]"
    );
    assert_eq!(
        show(&expr("[for (x, i) in range(0, 3): {\n  i: i\n}]")),
        "[for x, i in range(0, 3): {i: i}]"
    );
    assert_eq!(show(&expr("[\n  for x in xs: x\n]")), "[for x in xs: x]");
    assert_eq!(
        show(&expr("[for x in xs: if (x.ok) {\n  a: x\n}]")),
        "[for x in xs: if (x.ok) {a: x}]"
    );
    let text = "var x = [for (item, index) in xs: item]\n";
    let e = var_value(text);
    let ExprKind::For { item, index, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(at(text, &item.as_ref().unwrap().span), "item");
    assert_eq!(at(text, &index.as_ref().unwrap().span), "index");
}

#[test]
fn newlines_where_bicep_allows_them() {
    assert_eq!(
        show(&expr("cond\n  ? 'a'\n  : 'b'")),
        "(cond ? str(\"a\") : str(\"b\"))"
    );
    assert_eq!(show(&expr("(\n  a\n)")), "paren(a)");
    let f = parse_ok("param a string\n#disable-next-line BCP081\nresource x 'A/b@1' = {\n  name: 'x'\n}\n  #disable-diagnostics no-unused-params\nvar v = 1\n");
    assert_eq!(f.items.len(), 3);
    let f = parse_ok("resource x 'A/b@1' =\n  if (c) {\n  name: 'x'\n}\n");
    assert_eq!(f.items.len(), 1);
    let f = parse_ok("var x = 1 // trailing\n/* a\nblock */ var y = 2\r\nvar z = 3");
    assert_eq!(f.items.len(), 3);
    let f = parse_ok("\u{feff}var x = 1\n");
    assert_eq!(f.items[0].span, 3..12);
}

#[test]
fn comments_in_decorators_and_lists() {
    let text = "@description(/* why */ 'x') // after\n@allowed([\n  // first\n  'a' /* inline */\n])\nparam p string\n";
    let f = parse_ok(text);
    assert_eq!(f.items[0].decorators.len(), 2);
    assert_eq!(show(&f.items[0].decorators[1].args()[0]), "[str(\"a\")]");
}

// ----- errors and recovery -----

fn errors(text: &str) -> (File, Vec<SyntaxError>) {
    let p = parse(text);
    check_spans(text, &p);
    (p.file, p.errors)
}

fn names(f: &File) -> Vec<String> {
    f.items
        .iter()
        .map(|i| match &i.kind {
            ItemKind::Param { name, .. }
            | ItemKind::Var { name, .. }
            | ItemKind::Output { name, .. } => name.name.clone(),
            ItemKind::Resource(r) => r.name.name.clone(),
            ItemKind::Error => "ERROR".into(),
            _ => "?".into(),
        })
        .collect()
}

#[test]
fn unterminated_string_reported_at_its_opening() {
    let text = "var a = 'abc\nvar b = 1\n";
    let (f, errs) = errors(text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].message, "unterminated string");
    assert_eq!(errs[0].span, 8..9);
    assert_eq!(names(&f), ["a", "b"]);
    // In an interpolation hole.
    let (f, errs) = errors("var a = 'x${b\nvar c = 1\n");
    assert_eq!(errs[0].span, 8..9);
    assert_eq!(errs[0].message, "unterminated string");
    assert_eq!(names(&f), ["a", "c"]);
    // Multi-line, to the end of the file.
    let (_, errs) = errors("var a = 1\nvar b = '''abc\n");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].span.start, 18);
}

#[test]
fn unterminated_comment_reported_at_its_opening() {
    let (f, errs) = errors("var a = 1\n/* never closed\nvar b = 2\n");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "unterminated comment");
    assert_eq!(errs[0].span, 10..12);
    assert_eq!(names(&f), ["a"]);
}

#[test]
fn unclosed_brace_reported_at_its_opening_and_later_statements_parsed() {
    let text = "resource a 'A/b@1' = {\n  name: 'a'\n  properties: {\n    x: 1\n}\n\nparam p string\nvar v = 1\n";
    let (f, errs) = errors(text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].message, "`{` is never closed");
    assert_eq!(errs[0].span, 21..22);
    assert_eq!(names(&f), ["a", "p", "v"]);
    let (f, errs) = errors("var a = [1, 2\nvar b = (1\nvar c = f(1, 2\nvar d = 1\n");
    let msgs: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "`[` is never closed",
            "`(` is never closed",
            "`(` is never closed"
        ]
    );
    assert_eq!(errs[0].span, 8..9);
    assert_eq!(names(&f), ["a", "b", "c", "d"]);
}

#[test]
fn bad_property_recovers_at_the_next_property() {
    let text = "resource a 'A/b@1' = {\n  name 'a'\n  location: loc\n  sku: = 1\n  kind: 'k'\n}\nvar v = 1\n";
    let (f, errs) = errors(text);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].message, "expected `:` after the property name");
    assert_eq!(at(text, &errs[0].span), "'a'");
    assert_eq!(errs[1].message, "expected an expression");
    let ItemKind::Resource(r) = &f.items[0].kind else {
        panic!()
    };
    assert_eq!(
        show(&r.body),
        "{location: loc, sku: ERROR, kind: str(\"k\")}"
    );
    assert_eq!(names(&f), ["a", "v"]);
}

#[test]
fn statement_errors_skip_to_the_next_statement() {
    let text = "param p string 'x'\nvar v = 1\nfoo bar\n  baz\nparam q int\n";
    let (f, errs) = errors(text);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].message, "expected `=` after the parameter's type");
    assert_eq!(at(text, &errs[0].span), "'x'");
    assert!(errs[1].message.starts_with("expected a statement"));
    assert_eq!(at(text, &errs[1].span), "foo");
    assert_eq!(names(&f), ["ERROR", "v", "ERROR", "q"]);

    let (f, errs) = errors("var = 1\noutput o string\nvar ok = 1 2\nvar last = 3\n");
    let msgs: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "expected the variable's name",
            "expected `=` after the output's type",
            "expected a new line after the statement"
        ]
    );
    assert_eq!(names(&f), ["ERROR", "ERROR", "ok", "last"]);

    let (f, errs) = errors("@description('x')\n\nvar v = 1 +\n");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "expected an expression");
    assert_eq!(f.items[0].decorators.len(), 1);
}

#[test]
fn mismatched_brackets() {
    let (f, errs) = errors("var a = [1, 2)\nvar b = { a: (1 }\nvar c = 1\n");
    assert!(!errs.is_empty());
    assert_eq!(names(&f), ["a", "b", "c"]);
    let (_, errs) = errors("var a = )\n");
    assert_eq!(errs[0].message, "expected an expression");
}

#[test]
fn commas_and_new_lines_are_not_mixed() {
    let (_, errs) = errors("var a = [\n  1,\n  2\n]\n");
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.starts_with("unexpected new line after `,`"));
    let (_, errs) = errors("var a = [1 2]\n");
    assert_eq!(errs[0].message, "expected `,`, a new line or `]`");
    let (_, errs) = errors("var a = f(1\n  2)\n");
    assert_eq!(errs[0].message, "expected `,` between the arguments");
}

fn nested(open: &str, close: &str, n: usize) -> String {
    format!(
        "var x = {}1{}\nvar y = 2\n",
        open.repeat(n),
        close.repeat(n)
    )
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = crate::limits::current().json_depth;
    std::thread::Builder::new()
        .stack_size(crate::load::STACK_BYTES)
        .spawn(move || {
            for (open, close) in [
                ("[", "]"),
                ("(", ")"),
                ("f(", ")"),
                ("a[", "]"),
                ("'${", "}'"),
            ] {
                // At the limit: fine.
                let ok = parse(&nested(open, close, depth - 1));
                assert!(ok.errors.is_empty(), "{open}: {:?}", ok.errors.first());
                // Far past it: one error, at the opening bracket past the limit, and the next
                // statement still parsed.
                let text = nested(open, close, 5000);
                let p = parse(&text);
                assert_eq!(
                    p.errors.len(),
                    1,
                    "{open}: {:?}",
                    &p.errors[..p.errors.len().min(3)]
                );
                assert_eq!(p.errors[0].message, "nested too deeply");
                assert_eq!(p.file.items.len(), 2);
            }
            for (i, text) in [
                format!("var x = {}1\n", "a ? b : ".repeat(5000)),
                format!("var x = {}1\n", "x => ".repeat(5000)),
                format!("var x = {}}}\n", "{a: ".repeat(5000)),
                format!(
                    "type x = {}string{}\n",
                    "{a: ".repeat(5000),
                    "}".repeat(5000)
                ),
                format!("type x = {}string{}\n", "(".repeat(5000), ")".repeat(5000)),
                format!("type x = {}\n", "t<".repeat(5000)),
                format!("var x = {}\n", "[for x in y: ".repeat(5000)),
                format!("var x = {}\n", "'${".repeat(5000)),
                "var x = !".repeat(5000),
                "{[(".repeat(5000),
            ]
            .iter()
            .enumerate()
            {
                let p = parse(text);
                assert!(!p.errors.is_empty(), "case {i}");
                check_spans(text, &p);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

const FIXTURES: [&str; 4] = [
    RESOURCES,
    "@description('The name')\n@allowed([\n  'a', 'b'\n])\nparam name string = 'a'\nparam tags object?\ntype t = {\n  @minLength(1)\n  'k': string?\n  *: int\n} | 'x'\nfunc f(a string) string => '${a}-\\u{1F600}-é'\nvar v = [for (x, i) in range(0, 2): {\n  n: x ?? i\n  m: map(xs, y => y.a.?b[?0][^1]!)\n  ...other\n}]\noutput o string = cond\n  ? $'''\n${v} ''' : 'no'\n",
    "using './main.bicep'\nimport { a as b } from './x.bicep'\nparam p = {\n  k: 'v${1 + 2}'\n  'q': [1, 2]\n}\n/* block */ param r = -1\n",
    "import * as ns from 'br/public:x:1'\nextension microsoftGraphV1\nmodule m 'br/public:avm/res/x:1.0' = if (a =~ 'b') {\n  name: '${ns.f()}'\n  params: {\n    x: a::b.c\n  }\n}\n#disable-next-line no-unused-vars\nvar e = '''\nmulti\n'''\n",
];

#[test]
fn fixtures_parse_cleanly() {
    for f in FIXTURES {
        parse_ok(f);
    }
}

#[test]
fn every_prefix_parses_without_panic_or_loop() {
    for fixture in FIXTURES {
        for end in 0..=fixture.len() {
            if !fixture.is_char_boundary(end) {
                continue;
            }
            let text = &fixture[..end];
            let p = parse(text);
            check_spans(text, &p);
        }
        // Every single-byte deletion, and a bracket or quote inserted everywhere.
        for cut in 0..fixture.len() {
            if !fixture.is_char_boundary(cut) {
                continue;
            }
            let next = (cut + 1..=fixture.len())
                .find(|&i| fixture.is_char_boundary(i))
                .unwrap();
            let deleted = format!("{}{}", &fixture[..cut], &fixture[next..]);
            check_spans(&deleted, &parse(&deleted));
            for ins in ["{", "}", "'", "(", "[", "${", "/*", "@", "\n", "'''"] {
                let text = format!("{}{ins}{}", &fixture[..cut], &fixture[cut..]);
                check_spans(&text, &parse(&text));
            }
        }
    }
}
