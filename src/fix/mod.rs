//! Fixes: what a rule proposes (an [`Intent`], format-agnostic: "write this value where that one
//! is written"), turned into text edits against the files as they were read ([`attach`]), and
//! applied by the CLI (`apply`). Rules never see a file format; this module is where literals are
//! read and written in each format's own syntax.

pub mod apply;

use crate::diagnostic::Finding;
use crate::source::{FileId, SourceMap, Span};

/// Whether a fix keeps what is deployed working as intended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the intended behaviour (a misspelt zone name, a wrong subresource).
    Safe,
    /// Changes what is deployed: access, cost, or features that users may rely on.
    Unsafe,
}

/// One replacement of the bytes `start..end` of `file` by `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A fix of one finding: edits in one or more files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// The value a fix writes, by the kind of literal it replaces: a finding does not know whether
/// its value is written `false` (Terraform) or `'Disabled'` (Bicep).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Literal {
    /// What replaces a `true` or `false`.
    pub boolean: Option<bool>,
    /// What replaces a string.
    pub string: Option<&'static str>,
    /// What replaces a list of strings (its items, in the file's quotes).
    pub list: Option<&'static [&'static str]>,
}

impl Literal {
    pub const fn boolean(b: bool) -> Literal {
        Literal {
            boolean: Some(b),
            string: None,
            list: None,
        }
    }

    pub const fn string(s: &'static str) -> Literal {
        Literal {
            boolean: None,
            string: Some(s),
            list: None,
        }
    }

    /// A setting written as a boolean in some formats and as a string in others.
    pub const fn either(b: bool, s: &'static str) -> Literal {
        Literal {
            boolean: Some(b),
            string: Some(s),
            list: None,
        }
    }

    pub const fn list(items: &'static [&'static str]) -> Literal {
        Literal {
            boolean: None,
            string: None,
            list: Some(items),
        }
    }
}

/// What a rule proposes for a finding: write `to` where the value at `span` is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    pub title: String,
    pub applicability: Applicability,
    pub span: Span,
    pub to: Literal,
    /// When the attribute is absent (its default applies; `span` is the resource header): the
    /// setting to add to the resource instead.
    pub absent: Option<Setting>,
    /// Expressions that refer to what the fix renames: when one of them repeats the old value
    /// (an ARM `resourceId(..., 'old-name')`, a name written again instead of a reference), the
    /// rename would leave it behind, so there is no fix.
    pub references: Vec<Span>,
}

/// What a fix adds to a resource that does not have it, named the same in every format (each
/// syntax spells it its own way, see [`Setting::add`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    PublicNetworkAccessOff,
    ExportOff,
    /// A DNS zone group on the private endpoint, binding the zone (Terraform addresses).
    ZoneGroup {
        zone: String,
        endpoint: String,
    },
    /// A virtual network link from the zone to the VNet (Terraform addresses), written after the
    /// block at the intent's span, named after the VNet (its name when known); `links`: the
    /// addresses of the links there are, whose labels it must not take.
    VnetLink {
        zone: String,
        vnet: String,
        vnet_name: Option<String>,
        links: Vec<String>,
    },
}

impl Setting {
    /// The Terraform lines added to the resource's block, the first naming what they set.
    fn hcl(&self) -> Option<Vec<String>> {
        Some(match self {
            Setting::PublicNetworkAccessOff => vec!["public_network_access_enabled = false".into()],
            Setting::ExportOff => vec!["export_policy_enabled = false".into()],
            Setting::ZoneGroup { zone, endpoint } => {
                // A reference is written within one module.
                let (zone_module, zone) = split_module(zone);
                if split_module(endpoint).0 != zone_module {
                    return None;
                }
                vec![
                    "private_dns_zone_group {".into(),
                    "  name                 = \"default\"".into(),
                    format!("  private_dns_zone_ids = [{zone}.id]"),
                    "}".into(),
                ]
            }
            Setting::VnetLink { .. } => return None,
        })
    }

    /// The Bicep property of the resource's `properties`, as `key: value`; `None` where it is
    /// nested deeper (export is `properties.policies.exportPolicy.status`), not supported yet.
    fn bicep(&self) -> Option<&'static str> {
        match self {
            Setting::PublicNetworkAccessOff => Some("publicNetworkAccess: 'Disabled'"),
            _ => None,
        }
    }

    /// The ARM member of the resource's `properties`, as `"key": value`.
    fn json(&self) -> Option<&'static str> {
        match self {
            Setting::PublicNetworkAccessOff => Some("\"publicNetworkAccess\": \"Disabled\""),
            _ => None,
        }
    }

    /// The edit that adds the setting to the resource whose header is at `header`, in `text`.
    fn add(&self, syntax: Syntax, text: &str, header: Span) -> Option<Edit> {
        match syntax {
            Syntax::Hcl => match self {
                Setting::VnetLink {
                    zone,
                    vnet,
                    vnet_name,
                    links,
                } => {
                    let (zone_module, zone) = split_module(zone);
                    let (vnet_module, vnet) = split_module(vnet);
                    if zone_module != vnet_module {
                        return None;
                    }
                    // Labelled as the VNet, unless a link of the module already is.
                    let vnet_label = vnet.rsplit('.').next()?.split('[').next()?;
                    let taken = |label: &str| {
                        links.iter().any(|a| {
                            let (module, local) = split_module(a);
                            module == zone_module
                                && local.split('[').next() == Some(&format!("{LINK_TYPE}.{label}"))
                        })
                    };
                    let label = [vnet_label.to_string(), format!("{vnet_label}_acr")]
                        .into_iter()
                        .find(|l| !taken(l))?;
                    let name = format!("link-{}", vnet_name.as_deref().unwrap_or(vnet_label));
                    add_vnet_link(text, header, zone, vnet, &label, &name)
                }
                _ => add_attribute(text, header, &self.hcl()?),
            },
            Syntax::Bicep => add_bicep_property(text, header, self.bicep()?),
            Syntax::Json => add_json_member(text, header, self.json()?),
        }
    }
}

/// The syntax a literal is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    /// HCL (`.tf`, `.tfvars`): `true`, `"text"`, `["a", "b"]`.
    Hcl,
    /// JSON (ARM templates, parameter files, `.tf.json`): `true`, `"text"`; a string in brackets
    /// is an ARM expression, not a literal.
    Json,
    /// Bicep (`.bicep`, `.bicepparam`): `true`, `'text'`, `['a', 'b']` (items on lines).
    Bicep,
}

fn syntax(path: &std::path::Path) -> Option<Syntax> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".json") {
        Some(Syntax::Json)
    } else if name.ends_with(".tf") || name.ends_with(".tfvars") {
        Some(Syntax::Hcl)
    } else if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
        Some(Syntax::Bicep)
    } else {
        None
    }
}

/// Turn the rules' intents into edits. A value set elsewhere (a variable default, a `.tfvars`
/// line, a module argument, a parameter file) is changed where it is set (`origins`), never
/// hard-coded over the reference; a value written as an expression gets no fix.
pub fn attach(
    findings: &mut [Finding],
    sources: &SourceMap,
    origins: &rustc_hash::FxHashMap<Span, Span>,
) {
    // A Terraform plan and a template the Bicep compiler wrote are made from the source, not
    // edited: their values are fixed where they come from. Judged once per file.
    let mut made: rustc_hash::FxHashMap<crate::source::FileId, bool> = Default::default();
    for f in findings.iter_mut() {
        let Some(intent) = f.fix_intent.take() else {
            continue;
        };
        let at = origins.get(&intent.span).copied().unwrap_or(intent.span);
        let source = sources.get(at.file);
        let Some(syntax) = syntax(&source.path) else {
            continue;
        };
        let generated = *made.entry(at.file).or_insert_with(|| {
            syntax == Syntax::Json
                && (crate::load::plan::is_plan(&source.text)
                    || crate::classify::bicep_generated(&source.text))
        });
        if generated {
            continue;
        }
        if let Some(setting) = &intent.absent {
            let edit = setting.add(syntax, &source.text, at);
            f.fix = edit.map(|edit| Fix {
                title: intent.title,
                applicability: intent.applicability,
                edits: vec![edit],
            });
            continue;
        }
        let Some(old) = source.text.get(at.start as usize..at.end as usize) else {
            continue;
        };
        let unquoted = old.trim_matches(|c| c == '"' || c == '\'');
        let repeated = intent.references.iter().any(|r| {
            let text = sources.get(r.file).text.clone();
            text.get(r.start as usize..r.end as usize)
                .is_some_and(|t| t.contains(unquoted))
        });
        if repeated {
            continue;
        }
        if let Some(text) = rewrite(old, syntax, intent.to) {
            f.fix = Some(Fix {
                title: intent.title,
                applicability: intent.applicability,
                edits: vec![Edit {
                    file: at.file,
                    start: at.start as usize,
                    end: at.end as usize,
                    text,
                }],
            });
        }
    }
}

/// A Terraform address split into its module path (`module.a.module.b["x"].`, empty at the root)
/// and the address within the module (`azurerm_private_dns_zone.acr[0]`): references between
/// resources are written within one module.
fn split_module(addr: &str) -> (&str, &str) {
    let mut rest = addr;
    let mut at = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        // The module's name and instance key end at the next `.` outside brackets and quotes.
        let mut depth = 0;
        let mut quoted = false;
        let end = after.char_indices().find_map(|(i, c)| {
            match c {
                '"' => quoted = !quoted,
                '[' if !quoted => depth += 1,
                ']' if !quoted => depth -= 1,
                '.' if !quoted && depth == 0 => return Some(i),
                _ => {}
            }
            None
        });
        let Some(end) = end else { break };
        let consumed = "module.".len() + end + 1;
        at += consumed;
        rest = &rest[consumed..];
    }
    (&addr[..at], rest)
}

/// The Terraform type of a private DNS zone's virtual network link.
const LINK_TYPE: &str = "azurerm_private_dns_zone_virtual_network_link";

/// The HCL block of `text` whose header is at `header`.
fn hcl_block(
    body: &hcl_edit::structure::Body,
    header: Span,
) -> Option<&hcl_edit::structure::Block> {
    use hcl_edit::Span as _;
    body.blocks().find(|b| {
        b.span()
            .is_some_and(|r| r.start <= header.start as usize && (header.start as usize) < r.end)
    })
}

/// The newline `text` uses before `at`.
fn newline_at(text: &str, at: usize) -> &'static str {
    if text[..at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// An edit that adds `lines` (an attribute, or a nested block) as the last paragraph of the HCL
/// block whose header is at `header`: before the closing brace, after a blank line, indented one
/// level (two spaces) more than the header, so that `terraform fmt` leaves the alignment of the
/// other attributes as it was. Nothing when the block already sets what the first line names.
fn add_attribute(text: &str, header: Span, lines: &[String]) -> Option<Edit> {
    use hcl_edit::Span as _;
    let body = hcl_edit::parser::parse_body(text).ok()?;
    let block = hcl_block(&body, header)?;
    // An attribute written as an expression that gives null is absent to the model, but
    // writing it again would define it twice.
    let key = lines.first()?.split([' ', '=']).next()?;
    // A `dynamic` block of that name counts too: its variable is what to change.
    let written = block.body.iter().any(|s| {
        s.as_attribute().is_some_and(|a| a.key.as_str() == key)
            || s.as_block().is_some_and(|b| {
                b.ident.as_str() == key
                    || (b.ident.as_str() == "dynamic"
                        && b.labels.first().is_some_and(|l| l.as_str() == key))
            })
    });
    if written {
        return None;
    }
    insert_before_brace(text, header.file, block.span()?.end, lines, true)
}

/// An edit that writes a VNet link resource after the HCL block whose header is at `header`, in
/// the attribute names of the file's provider version (azurerm 5 names the zone by id; before,
/// by name and resource group), aligned as `terraform fmt` aligns them.
fn add_vnet_link(
    text: &str,
    header: Span,
    zone: &str,
    vnet: &str,
    label: &str,
    name: &str,
) -> Option<Edit> {
    use hcl_edit::Span as _;
    let body = hcl_edit::parser::parse_body(text).ok()?;
    let end = hcl_block(&body, header)?.span()?.end;
    let by_id = text.contains("private_dns_zone_id ") || text.contains("private_dns_zone_id=");
    let attributes: Vec<(&str, String)> = match by_id {
        true => vec![
            ("name", format!("\"{name}\"")),
            ("private_dns_zone_id", format!("{zone}.id")),
            ("virtual_network_id", format!("{vnet}.id")),
        ],
        false => vec![
            ("name", format!("\"{name}\"")),
            ("resource_group_name", format!("{zone}.resource_group_name")),
            ("private_dns_zone_name", format!("{zone}.name")),
            ("virtual_network_id", format!("{vnet}.id")),
        ],
    };
    let width = attributes.iter().map(|(k, _)| k.len()).max()?;
    let newline = newline_at(text, end);
    let mut added = format!("{newline}{newline}resource \"{LINK_TYPE}\" \"{label}\" {{{newline}");
    for (key, value) in attributes {
        added.push_str(&format!("  {key:<width$} = {value}{newline}"));
    }
    added.push('}');
    Some(Edit {
        file: header.file,
        start: end,
        end,
        text: added,
    })
}

/// An edit that adds `property` (`key: value`) to the `properties` of the Bicep resource whose
/// header is at `header` (making `properties` when the resource has none), on a line of its own
/// before the closing brace, indented as the object's other lines.
fn add_bicep_property(text: &str, header: Span, property: &str) -> Option<Edit> {
    use crate::load::bicep::ast::{ExprKind, ItemKind, Key, ObjectItem};
    let parsed = crate::load::bicep::parser::parse(text);
    let at = header.start as usize;
    let resource = parsed.file.items.iter().find_map(|i| match &i.kind {
        ItemKind::Resource(r) if i.span.start <= at && at < i.span.end => Some(r),
        _ => None,
    })?;
    let ExprKind::Object(items) = &resource.body.kind else {
        return None;
    };
    let key_of = |k: &Key| match k {
        Key::Ident(i) => Some(i.name.clone()),
        Key::String(e) => crate::load::bicep::lower::literal_string(e),
    };
    let properties = items.iter().find_map(|i| match i {
        ObjectItem::Property { key, value, .. } if key_of(key).as_deref() == Some("properties") => {
            Some(value)
        }
        _ => None,
    });
    let name = property.split(':').next()?;
    let (object, lines) = match properties {
        Some(value) => {
            let ExprKind::Object(props) = &value.kind else {
                return None;
            };
            let written = props.iter().any(|p| {
                matches!(p, ObjectItem::Property { key, .. } if key_of(key).as_deref() == Some(name))
            });
            if written {
                return None;
            }
            (value.span.clone(), vec![property.to_string()])
        }
        None => (
            resource.body.span.clone(),
            vec![
                "properties: {".to_string(),
                format!("  {property}"),
                "}".to_string(),
            ],
        ),
    };
    insert_before_brace(text, header.file, object.end, &lines, false)
}

/// An edit that writes `lines` before the closing brace at `end - 1`, one level (two spaces)
/// deeper than the brace, after a blank line when `blank`: only when the brace is on a line of
/// its own (a block or object written on one line is left alone).
fn insert_before_brace(
    text: &str,
    file: crate::source::FileId,
    end: usize,
    lines: &[String],
    blank: bool,
) -> Option<Edit> {
    let brace = end.checked_sub(1)?;
    let line_start = text[..brace].rfind('\n')? + 1;
    if !text[line_start..brace].trim().is_empty() || text.get(brace..end) != Some("}") {
        return None;
    }
    let indent = &text[line_start..brace];
    let newline = newline_at(text, line_start);
    let mut added = String::new();
    if blank {
        added.push_str(newline);
    }
    for l in lines {
        added.push_str(&format!("{indent}  {l}{newline}"));
    }
    Some(Edit {
        file,
        start: line_start,
        end: line_start,
        text: added,
    })
}

/// An edit that adds `member` (`"key": value`) as the last member of the `properties` of the ARM
/// resource whose `type` is at `header` (making `properties` when there is none), on a line of
/// its own, indented as the member before it.
fn add_json_member(text: &str, header: Span, member: &str) -> Option<Edit> {
    use crate::load::json::{Json, JsonValue};
    fn resource(j: &Json, header: usize) -> Option<&Json> {
        let members = match &j.value {
            JsonValue::Object(m) => m.as_slice(),
            JsonValue::Array(items) => return items.iter().find_map(|i| resource(i, header)),
            _ => return None,
        };
        let is_it = members
            .iter()
            .any(|(k, v)| k.name == "type" && v.span.start == header);
        if is_it {
            return Some(j);
        }
        members.iter().find_map(|(_, v)| resource(v, header))
    }
    let doc = crate::load::json::parse(text).ok()?;
    let resource = resource(&doc, header.start as usize)?;
    let key = member.split(':').next()?.trim().trim_matches('"');
    let (object, new) = match resource.get("properties") {
        Some(props) => {
            if props.get(key).is_some() || !matches!(props.value, JsonValue::Object(_)) {
                return None;
            }
            (props, vec![member.to_string()])
        }
        None => (
            resource,
            vec![
                "\"properties\": {".to_string(),
                format!("  {member}"),
                "}".to_string(),
            ],
        ),
    };
    // After the last member, with its indentation; an empty object is not handled.
    let (_, last) = object.members().last()?;
    let line_start = text[..last.span.start].rfind('\n')? + 1;
    let key_start = text[line_start..].find(|c: char| c != ' ' && c != '\t')? + line_start;
    let indent = &text[line_start..key_start];
    let newline = newline_at(text, line_start);
    let added: String = new
        .iter()
        .map(|l| format!(",{newline}{indent}{l}"))
        .collect::<String>()
        // One comma, after the last member: the lines of a new object join without.
        .replacen(
            &format!(",{newline}{indent}  "),
            &format!("{newline}{indent}  "),
            1,
        )
        .replacen(
            &format!(",{newline}{indent}}}"),
            &format!("{newline}{indent}}}"),
            1,
        );
    Some(Edit {
        file: header.file,
        start: last.span.end,
        end: last.span.end,
        text: added,
    })
}

/// The literal that replaces `old` (a literal of the same kind, in the same syntax), or `None`
/// when `old` is not a literal this can rewrite or already says `to`.
fn rewrite(old: &str, syntax: Syntax, to: Literal) -> Option<String> {
    let new = match old {
        "true" | "false" => to.boolean?.to_string(),
        _ if string_literal(old, syntax).is_some() => quote(to.string?, syntax),
        _ if list_literal(old, syntax) => {
            let items: Vec<String> = to.list?.iter().map(|i| quote(i, syntax)).collect();
            match syntax {
                Syntax::Bicep => format!("[{}]", items.join(" ")),
                _ => format!("[{}]", items.join(", ")),
            }
        }
        _ => return None,
    };
    (new != old).then_some(new)
}

/// The text of a plain string literal: quoted, with nothing evaluated in it.
fn string_literal(text: &str, syntax: Syntax) -> Option<&str> {
    let (open, close) = match syntax {
        Syntax::Bicep => ('\'', '\''),
        _ => ('"', '"'),
    };
    let inner = text.strip_prefix(open)?.strip_suffix(close)?;
    let plain = match syntax {
        Syntax::Hcl => !inner.contains("${") && !inner.contains("%{") && !inner.contains('\\'),
        Syntax::Json => !inner.starts_with('[') && !inner.contains('\\'),
        Syntax::Bicep => !inner.contains("${") && !inner.contains('\\') && !inner.contains('\''),
    };
    (plain && !inner.contains(open)).then_some(inner)
}

/// A list written as literal strings only (`["a", "b"]`), which a fix replaces whole.
fn list_literal(text: &str, syntax: Syntax) -> bool {
    let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
        return false;
    };
    let separators: &[char] = match syntax {
        Syntax::Bicep => &['\n', '\r', ' ', '\t'],
        _ => &[',', '\n', '\r', ' ', '\t'],
    };
    let items: Vec<&str> = inner
        .split(|c| separators.contains(&c))
        .filter(|i| !i.is_empty())
        .collect();
    !items.is_empty() && items.iter().all(|i| string_literal(i, syntax).is_some())
}

fn quote(s: &str, syntax: Syntax) -> String {
    match syntax {
        Syntax::Bicep => format!("'{s}'"),
        _ => format!("\"{s}\""),
    }
}

#[cfg(test)]
mod tests;
