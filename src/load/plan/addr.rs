//! Terraform addresses and references as the plan writes them: `module.env["prod"].azurerm_x.y[0]`,
//! `azurerm_container_registry.acr.id`, `module.dns.zone_id`, split into steps.

use std::fmt::Write;

/// An instance key: `[0]` (`count`) or `["prod"]` (`for_each`).
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl Key {
    /// `[0]` or `["prod"]`, as Terraform prints it.
    pub fn suffix(&self) -> String {
        match self {
            Key::Int(i) => format!("[{i}]"),
            Key::Str(s) => {
                let mut out = String::from("[\"");
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        c => out.push(c),
                    }
                }
                out.push_str("\"]");
                out
            }
        }
    }
}

/// One step of an address or reference.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Name(String),
    Index(Key),
}

/// Split `text` into steps; `None` when it is not an address (an unbalanced bracket, an empty
/// name).
pub fn parse(text: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut expect_name = true;
    while i < bytes.len() {
        match bytes[i] {
            b'.' if !expect_name => {
                i += 1;
                expect_name = true;
            }
            b'[' => {
                let (key, next) = index(text, i)?;
                steps.push(Step::Index(key));
                i = next;
                expect_name = false;
            }
            _ if expect_name => {
                let end = text[i..].find(['.', '[']).map_or(text.len(), |at| i + at);
                if end == i {
                    return None;
                }
                steps.push(Step::Name(text[i..end].to_string()));
                i = end;
                expect_name = false;
            }
            _ => return None,
        }
    }
    (!steps.is_empty() && !expect_name).then_some(steps)
}

/// The key in brackets at `at`, and the offset after the `]`.
fn index(text: &str, at: usize) -> Option<(Key, usize)> {
    let rest = &text[at + 1..];
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut key = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next()?.1 {
                    'n' => key.push('\n'),
                    't' => key.push('\t'),
                    other => key.push(other),
                },
                '"' => {
                    let after = at + 2 + i + 1;
                    return (text.as_bytes().get(after) == Some(&b']'))
                        .then_some((Key::Str(key), after + 1));
                }
                c => key.push(c),
            }
        }
        None
    } else {
        let end = rest.find(']')?;
        let n: f64 = rest[..end].trim().parse().ok()?;
        (n.fract() == 0.0).then_some((Key::Int(n as i64), at + 1 + end + 1))
    }
}

/// The steps as text again (`module.env["prod"]`).
pub fn render(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Name(n) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(n);
            }
            Step::Index(k) => {
                let _ = write!(out, "{}", k.suffix());
            }
        }
    }
    out
}

/// A resource instance address taken apart.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceAddr {
    /// The module instances, outermost first: call name and key.
    pub modules: Vec<(String, Option<Key>)>,
    /// `azurerm_x.y` or `data.azurerm_x.y`, without key.
    pub resource: String,
    pub key: Option<Key>,
}

impl InstanceAddr {
    pub fn parse(text: &str) -> Option<InstanceAddr> {
        let steps = parse(text)?;
        let mut modules = Vec::new();
        let mut i = 0;
        while matches!(steps.get(i), Some(Step::Name(n)) if n == "module") {
            let Some(Step::Name(name)) = steps.get(i + 1) else {
                return None;
            };
            let key = match steps.get(i + 2) {
                Some(Step::Index(k)) => Some(k.clone()),
                _ => None,
            };
            i += 2 + usize::from(key.is_some());
            modules.push((name.clone(), key));
        }
        let mut names = Vec::new();
        let mut key = None;
        for s in &steps[i..] {
            match s {
                Step::Name(n) if key.is_none() => names.push(n.as_str()),
                Step::Index(k) if key.is_none() && !names.is_empty() => key = Some(k.clone()),
                _ => return None,
            }
        }
        let resource = match names.as_slice() {
            ["data", t, n] => format!("data.{t}.{n}"),
            [t, n] => format!("{t}.{n}"),
            _ => return None,
        };
        Some(InstanceAddr {
            modules,
            resource,
            key,
        })
    }

    /// The module instance prefix (`module.env["prod"].`), empty in the root module.
    pub fn module_prefix(&self) -> String {
        module_prefix(&self.modules)
    }
}

/// `module.a["x"].module.b.` for these module instances.
pub fn module_prefix(modules: &[(String, Option<Key>)]) -> String {
    let mut out = String::new();
    for (name, key) in modules {
        let _ = write!(out, "module.{name}");
        if let Some(k) = key {
            out.push_str(&k.suffix());
        }
        out.push('.');
    }
    out
}

/// An address with every instance key removed: `module.env.azurerm_x.y`.
pub fn without_keys(addr: &str) -> String {
    match parse(addr) {
        Some(steps) => {
            let names: Vec<Step> = steps
                .into_iter()
                .filter(|s| matches!(s, Step::Name(_)))
                .collect();
            render(&names)
        }
        None => addr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_instance_addresses() {
        let a = InstanceAddr::parse(r#"module.env["prod"].module.acr[0].azurerm_x.this["a.b"]"#)
            .unwrap();
        assert_eq!(
            a.modules,
            vec![
                ("env".to_string(), Some(Key::Str("prod".into()))),
                ("acr".to_string(), Some(Key::Int(0)))
            ]
        );
        assert_eq!(a.resource, "azurerm_x.this");
        assert_eq!(a.key, Some(Key::Str("a.b".into())));
        assert_eq!(a.module_prefix(), r#"module.env["prod"].module.acr[0]."#);
        let d = InstanceAddr::parse("data.azurerm_subnet.pe").unwrap();
        assert_eq!(d.resource, "data.azurerm_subnet.pe");
        assert!(InstanceAddr::parse("module.x").is_none());
        assert!(InstanceAddr::parse("a.b[").is_none());
        assert_eq!(
            without_keys(r#"module.env["p"].azurerm_x.y[2]"#),
            "module.env.azurerm_x.y"
        );
    }

    #[test]
    fn parses_references() {
        assert_eq!(
            parse(r#"azurerm_x.y["k"].id"#).unwrap(),
            vec![
                Step::Name("azurerm_x".into()),
                Step::Name("y".into()),
                Step::Index(Key::Str("k".into())),
                Step::Name("id".into())
            ]
        );
        assert_eq!(
            render(&parse(r#"a.b["q\"x"][0].c"#).unwrap()),
            r#"a.b["q\"x"][0].c"#
        );
        assert!(parse("a..b").is_none());
        assert!(parse("").is_none());
    }
}
