//! Fixes: what a rule proposes (an [`Intent`], format-agnostic: "write this value where that one
//! is written"), turned into text edits against the files as they were read ([`attach`]), and
//! applied by the CLI (`apply`). Rules never see a file format; this module is where literals are
//! read and written in each format's own syntax.

pub mod apply;
mod bicep;
mod hcl;
mod json;

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

impl Applicability {
    /// As the rule documents, the JSON output and SARIF write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
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

/// What a rule proposes for a finding: a change at `span`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    pub title: String,
    pub applicability: Applicability,
    pub span: Span,
    pub change: Change,
    /// Expressions that refer to what the fix renames: when one of them repeats the old value
    /// (an ARM `resourceId(..., 'old-name')`, a name written again instead of a reference), the
    /// rename would leave it behind, so there is no fix.
    pub references: Vec<Span>,
}

/// What a fix changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Write this literal where the value at the intent's span is written.
    Rewrite(Literal),
    /// Add the setting to the resource whose header is the intent's span (the attribute is
    /// absent, and its default is the problem), or a resource after it.
    Add(Setting),
}

/// What a fix adds to a resource that does not have it, named the same in every format (each
/// syntax spells it its own way, see [`Setting::add`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    PublicNetworkAccessOff,
    ExportOff,
    /// A DNS zone group on the private endpoint, binding the zone.
    ZoneGroup {
        zone: Declared,
        endpoint: Declared,
    },
    /// A virtual network link from the zone to the VNet, written after the resource at the
    /// intent's span, named after the VNet (its name when known); `links`: the links there are,
    /// whose Terraform labels it must not take; `taken`: the names of the zone's links, which
    /// its name must not take (a second link of one name is the first one, replaced).
    VnetLink {
        zone: Declared,
        vnet: Declared,
        vnet_name: Option<String>,
        links: Vec<Declared>,
        taken: Vec<String>,
    },
}

/// A string property as ARM and Bicep write it: the path of the objects that hold it (from the
/// resource), its key and its value.
type Property = (&'static [&'static str], &'static str, &'static str);

/// A VNet link that ARM and Bicep write: after the resource declared at `after`, from the zone
/// declared at `zone` to the VNet declared at `vnet` (named `vnet_name` when known).
struct Link<'a> {
    after: Span,
    zone: Span,
    vnet: Span,
    vnet_name: Option<&'a str>,
    /// The names of the zone's links (see [`link_name`]).
    taken: &'a [String],
}

/// The name of a link added to the VNet named `vnet`: `link-vnet`, unless a link of the zone
/// has that name (Azure compares names without case), then `link-vnet-2` and so on.
fn link_name(vnet: &str, taken: &[String]) -> String {
    let free = |name: &str| !taken.iter().any(|t| t.eq_ignore_ascii_case(name));
    let first = format!("link-{vnet}");
    match free(&first) {
        true => first,
        false => (2..)
            .map(|n| format!("{first}-{n}"))
            .find(|name| free(name))
            .unwrap_or(first),
    }
}

/// A resource that a fix refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// Where it is declared: its block's header (Terraform), its `type` (ARM), its statement (Bicep).
    pub header: Span,
    /// Its Terraform address, for Terraform.
    pub tf_addr: Option<String>,
}

impl Setting {
    /// Where ARM and Bicep write the setting in the resource: the path of the objects that hold
    /// it, its key and its value.
    fn property(&self) -> Option<Property> {
        match self {
            Setting::PublicNetworkAccessOff => {
                Some((&["properties"], "publicNetworkAccess", "Disabled"))
            }
            Setting::ExportOff => Some((
                &["properties", "policies", "exportPolicy"],
                "status",
                "disabled",
            )),
            _ => None,
        }
    }

    /// The edit that adds the setting to the resource whose header is at `header` (for a VNet
    /// link: after that resource), in `text`.
    fn add(&self, syntax: Syntax, text: &str, header: Span) -> Option<Edit> {
        if let Some(property) = self.property() {
            return match syntax {
                Syntax::Hcl => hcl::add_attribute(text, header, &hcl::attribute(self)?),
                Syntax::Bicep => bicep::add_property(text, header, property),
                Syntax::Json => json::add_property(text, header, property),
            };
        }
        // ARM and Bicep refer to the resources by name or symbol in the file the fix writes to.
        let elsewhere = |others: &[&Declared]| {
            syntax != Syntax::Hcl && others.iter().any(|d| d.header.file != header.file)
        };
        match self {
            Setting::ZoneGroup { zone, endpoint } if !elsewhere(&[zone, endpoint]) => {
                let group = match syntax {
                    Syntax::Hcl => return hcl::add_attribute(text, header, &hcl::attribute(self)?),
                    Syntax::Bicep => bicep::add_zone_group,
                    Syntax::Json => json::add_zone_group,
                };
                group(text, endpoint.header, zone.header)
            }
            Setting::VnetLink {
                zone,
                vnet,
                vnet_name,
                taken,
                ..
            } if !elsewhere(&[zone, vnet]) => {
                let link = match syntax {
                    Syntax::Hcl => return hcl::add_vnet_link(text, header, self),
                    Syntax::Bicep => bicep::add_vnet_link,
                    Syntax::Json => json::add_vnet_link,
                };
                link(
                    text,
                    Link {
                        after: header,
                        zone: zone.header,
                        vnet: vnet.header,
                        vnet_name: vnet_name.as_deref(),
                        taken,
                    },
                )
            }
            _ => None,
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

/// The syntax of a file acrlint reads, from what [`crate::classify`] says it is.
fn syntax(path: &std::path::Path) -> Option<Syntax> {
    use crate::classify::FileKind;
    Some(match crate::classify::classify(path)? {
        FileKind::Bicep => Syntax::Bicep,
        FileKind::Json => Syntax::Json,
        // `.tf.json`, `.tfvars.json`.
        _ if path.extension().is_some_and(|e| e == "json") => Syntax::Json,
        _ => Syntax::Hcl,
    })
}

/// Turn the rules' intents into edits. A value set elsewhere (a variable default, a `.tfvars`
/// line, a module argument, a parameter file) is changed where it is set (`origins`), never
/// hard-coded over the reference; a value written as an expression gets no fix.
pub fn attach(
    findings: &mut [Finding],
    sources: &SourceMap,
    origins: &rustc_hash::FxHashMap<Span, Span>,
    shared_defaults: &[Span],
) {
    // A Terraform plan and a template the Bicep compiler wrote are made from the source, not
    // edited: their values are fixed where they come from. Judged once per file.
    let mut made: rustc_hash::FxHashMap<crate::source::FileId, bool> = Default::default();
    for f in findings.iter_mut() {
        let Some(intent) = f.fix_intent.take() else {
            continue;
        };
        let at = origins.get(&intent.span).copied().unwrap_or(intent.span);
        // A module input's default serves every call that leaves it unset: changing it would
        // change what the others deploy (the fix belongs in this call's arguments).
        if shared_defaults
            .iter()
            .any(|d| d.file == at.file && d.start <= at.start && at.end <= d.end)
        {
            continue;
        }
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
        let to = match &intent.change {
            Change::Add(setting) => {
                let edit = setting.add(syntax, &source.text, at);
                f.fix = edit.map(|edit| Fix {
                    title: intent.title,
                    applicability: intent.applicability,
                    edits: vec![edit],
                });
                continue;
            }
            Change::Rewrite(to) => *to,
        };
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
        if let Some(text) = rewrite(old, syntax, to) {
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

/// How far the objects of `path` exist, from `root`: the deepest one and the segments left to
/// make. `None` when a segment is written but is not an object (`lookup` gives `Err`), so that
/// nothing can be added into it.
fn deepest<'p, T: Copy>(
    root: T,
    path: &'p [&'p str],
    lookup: impl Fn(T, &str) -> Result<Option<T>, ()>,
) -> Option<(T, &'p [&'p str])> {
    let mut object = root;
    for (i, segment) in path.iter().enumerate() {
        match lookup(object, segment).ok()? {
            Some(inner) => object = inner,
            None => return Some((object, &path[i..])),
        }
    }
    Some((object, &[]))
}

/// The newline `text` uses before `at`.
fn newline_at(text: &str, at: usize) -> &'static str {
    if text[..at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
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

/// `base`, or `base2`, `base3`...: the first name that `taken` (which compares without case, as
/// Bicep symbols and ARM symbolic names are) does not hold.
fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// `name` with its first letter in capitals (`vnet` → `Vnet`), to name a resource after another.
fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
