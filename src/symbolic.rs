//! Symbolic text: a value that depends only on the deployment (ARM `resourceGroup().id`,
//! `uniqueString(...)` of it, Terraform `random_string.x.result`). It is not known before
//! deployment, but the same expression gives the same value everywhere in the deployment, so names
//! and ids built from it compare equal, and two different ones are not known to differ.
//!
//! A symbolic text is literal runs and opaque *terms* (the expression that yields the unknown part,
//! as the user writes it). It is carried as one string in which each term is set off by characters
//! of Unicode's private use area, so that ids still split on `/`, names compare as text and the
//! model borrows it like any other string. Only this module reads that encoding: the evaluators
//! build terms with [`Symbolic::term`], rules and links ask [`is_symbolic`] and [`may_equal`], and
//! every message shows [`display`] (`acr{uniqueString(resourceGroup().id)}`), never a made-up value.

use std::borrow::Cow;
use std::fmt;

use compact_str::CompactString;

/// Opens a term.
const OPEN: char = '\u{E000}';
/// Closes a term.
const CLOSE: char = '\u{E001}';
/// A `/` inside a term (so that a term never splits an id).
const SLASH: char = '\u{E002}';

/// A text with at least one deployment-time term, in its encoded form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Symbolic(CompactString);

impl Symbolic {
    /// The value of the expression `expr` (`resourceGroup().name`), as a whole.
    pub fn term(expr: &str) -> Symbolic {
        Symbolic(encode_term(expr).into())
    }

    /// A text that holds terms, or the plain text back.
    pub fn from_encoded(text: impl Into<CompactString>) -> Result<Symbolic, CompactString> {
        let text = text.into();
        if is_symbolic(&text) {
            Ok(Symbolic(text))
        } else {
            Err(text)
        }
    }

    /// The encoded text: equal for equal symbolic values, and what ids and names are made of.
    pub fn encoded(&self) -> &str {
        &self.0
    }

    /// Whether every term is known to be lower case already (hashes and GUIDs), so that
    /// lower-casing only touches the literal runs.
    pub fn terms_lower_case(&self) -> bool {
        terms(&self.0).all(|t| t.starts_with("uniqueString(") || t.starts_with("guid("))
    }

    /// The literal runs lower-cased (only when [`Symbolic::terms_lower_case`]).
    pub fn literal_lower(&self) -> Symbolic {
        Symbolic(self.map_literals(|run| run.to_lowercase()).into())
    }

    /// Whether every term is a hash (`uniqueString`), whose deployed text is only ASCII letters
    /// and digits, so that a text of other characters is found in the literal runs or nowhere.
    pub fn terms_alphanumeric(&self) -> bool {
        terms(&self.0).all(|t| t.starts_with("uniqueString("))
    }

    /// The length in UTF-16 units (as ARM's `length()` counts), when every term's is known:
    /// `uniqueString()` is 13 characters and `guid()` 36, whatever the deployment.
    pub fn utf16_len(&self) -> Option<usize> {
        let mut pieces = self.0.split(OPEN);
        let mut len = pieces.next().map_or(0, |run| run.encode_utf16().count());
        for piece in pieces {
            let (term, run) = piece.split_once(CLOSE)?;
            len += match term {
                t if t.starts_with("uniqueString(") => 13,
                t if t.starts_with("guid(") => 36,
                _ => return None,
            } + run.encode_utf16().count();
        }
        Some(len)
    }

    /// Whether a term stands for a template parameter or Terraform variable nobody gave (or is
    /// made of one): its deployed text may be anything, a whole resource id with its `/`s
    /// included, unlike the names and hashes the deployment gives.
    pub fn reads_input(&self) -> bool {
        terms(&self.0).any(|t| t.contains("parameters(") || t.starts_with("var."))
    }

    /// Each literal run mapped by `f`, the terms kept as they are (encoded).
    pub fn map_literals(&self, f: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.0.len());
        let mut rest = self.0.as_str();
        while let Some(open) = rest.find(OPEN) {
            out.push_str(&f(&rest[..open]));
            let close = rest[open..]
                .find(CLOSE)
                .map_or(rest.len(), |c| open + c + CLOSE.len_utf8());
            out.push_str(&rest[open..close]);
            rest = &rest[close..];
        }
        out.push_str(&f(rest));
        out
    }
}

impl fmt::Display for Symbolic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(&self.0))
    }
}

/// `{expr}` with its `/` kept inside the term.
pub fn encode_term(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len() + 6);
    out.push(OPEN);
    // A term holds display text only: nested terms are shown as `{...}`.
    out.extend(
        display(expr)
            .chars()
            .map(|c| if c == '/' { SLASH } else { c }),
    );
    out.push(CLOSE);
    out
}

/// Does this text hold a deployment-time term?
pub fn is_symbolic(text: &str) -> bool {
    text.contains(OPEN)
}

/// Does this text hold a character written outside its terms (so that it is never empty)?
pub fn has_literal(text: &str) -> bool {
    let mut depth = 0usize;
    text.chars().any(|c| match c {
        OPEN => {
            depth += 1;
            false
        }
        CLOSE => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => depth == 0,
    })
}

/// The text as users read it: each term as `{expression}`.
pub fn display(text: &str) -> Cow<'_, str> {
    if !text.contains([OPEN, CLOSE, SLASH]) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                OPEN => '{',
                CLOSE => '}',
                SLASH => '/',
                c => c,
            })
            .collect(),
    )
}

/// The identity of the VNet that a subnet id given whole as an input nobody gave names
/// (`{var.subnet_id}`): the same however the configuration finds it, from the endpoint's subnet
/// or by taking the id apart (`join("/", slice(split("/", var.subnet_id), 0, 9))`).
pub fn vnet_of_subnet(subnet_identity: &str) -> String {
    format!("{subnet_identity}{VNET_OF_SUBNET}")
}

const VNET_OF_SUBNET: &str = "/../..";

/// Whether an identity is one [`vnet_of_subnet`] made.
pub fn is_vnet_of_subnet(identity: &str) -> bool {
    identity
        .strip_suffix(VNET_OF_SUBNET)
        .is_some_and(|subnet| whole_term(subnet).is_some())
}

/// The expression, when the whole text is one term (`resourceGroup().name`).
pub fn whole_term(text: &str) -> Option<Cow<'_, str>> {
    let inner = text.strip_prefix(OPEN)?.strip_suffix(CLOSE)?;
    (!inner.contains([OPEN, CLOSE])).then(|| display(inner))
}

/// Text written as users read it (`acr{uniqueString(resourceGroup().id)}`) encoded, each
/// top-level `{...}` a term: for tests that state symbolic values.
#[cfg(test)]
pub fn from_display(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' if depth == 0 => {
                depth = 1;
                out.push(OPEN);
            }
            '{' => {
                depth += 1;
                out.push(c);
            }
            '}' if depth == 1 => {
                depth = 0;
                out.push(CLOSE);
            }
            '}' if depth > 1 => {
                depth -= 1;
                out.push(c);
            }
            '/' if depth > 0 => out.push(SLASH),
            c => out.push(c),
        }
    }
    out
}

/// The expressions of the terms, in order.
fn terms(text: &str) -> impl Iterator<Item = &str> {
    text.split(OPEN)
        .skip(1)
        .map(|rest| rest.split(CLOSE).next().unwrap_or(rest))
}

/// Could `a` and `b` be the same text once deployed (ASCII case-insensitively)? Plain texts are
/// compared; with terms, only the literal text before the first and after the last term can
/// tell them apart.
pub fn may_equal(a: &str, b: &str) -> bool {
    if !is_symbolic(a) && !is_symbolic(b) {
        return a.eq_ignore_ascii_case(b);
    }
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let head = |s: &str| s.split(OPEN).next().unwrap_or("").to_ascii_lowercase();
    let tail = |s: &str| {
        s.rsplit(CLOSE)
            .next()
            .filter(|_| s.contains(CLOSE))
            .unwrap_or(s)
            .to_ascii_lowercase()
    };
    let (ha, hb) = (head(a), head(b));
    let (ta, tb) = (tail(a), tail(b));
    (ha.starts_with(&hb) || hb.starts_with(&ha)) && (ta.ends_with(&tb) || tb.ends_with(&ta))
}

/// [`may_equal`] for resource ids, segment by segment (a term never holds a `/`).
pub fn may_equal_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('/'), b.trim_end_matches('/'));
    a.split('/').count() == b.split('/').count()
        && a.split('/').zip(b.split('/')).all(|(x, y)| may_equal(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_keep_ids_whole_and_display_as_written() {
        let rg = format!(
            "/subscriptions/{}/resourceGroups/{}",
            encode_term("subscription().subscriptionId"),
            encode_term("resourceGroup().name")
        );
        let name = format!("acr{}", encode_term("uniqueString('a/b')"));
        let id = format!("{rg}/providers/Microsoft.ContainerRegistry/registries/{name}");
        // The term's own `/` does not split the id.
        assert_eq!(id.split('/').count(), 9);
        assert_eq!(
            display(&id),
            "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/Microsoft.ContainerRegistry/registries/acr{uniqueString('a/b')}"
        );
        assert!(is_symbolic(&id) && !is_symbolic("contosoacr"));
        assert_eq!(display("a{b}"), "a{b}", "real braces are plain text");
        assert!(!is_symbolic("a{b}"));
    }

    #[test]
    fn comparisons_are_undecided_unless_the_literal_ends_differ() {
        let u = encode_term("uniqueString(resourceGroup().id)");
        let g = encode_term("guid(resourceGroup().id)");
        let acr_u = format!("acr{u}");
        assert!(may_equal(&acr_u, &format!("ACR{u}")));
        assert!(
            may_equal(&acr_u, &format!("acr{g}")),
            "two terms may be equal"
        );
        assert!(
            may_equal(&acr_u, "acrxyz"),
            "a literal may be the deployed value"
        );
        assert!(!may_equal(&acr_u, "registry01"), "the prefixes differ");
        assert!(
            !may_equal(&format!("{u}-pe"), &format!("{u}-zone")),
            "suffixes differ"
        );
        assert!(!may_equal("a", "b") && may_equal("A", "a"));
        let id = |name: &str| {
            format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/{name}")
        };
        assert!(may_equal_id(&id(&acr_u), &id(&format!("acr{g}"))));
        assert!(!may_equal_id(&id(&acr_u), &id("registry01")));
        assert!(!may_equal_id(&id(&acr_u), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io"));
    }

    #[test]
    fn the_vnet_of_a_subnet_input_is_known_by_its_identity() {
        let subnet = encode_term("var.subnet_id");
        let vnet = vnet_of_subnet(&subnet);
        assert!(is_vnet_of_subnet(&vnet));
        assert_eq!(
            vnet,
            vnet_of_subnet(&subnet),
            "the same however often it is made"
        );
        assert!(!is_vnet_of_subnet(&subnet));
        // Only of an input given whole.
        assert!(!is_vnet_of_subnet("/subscriptions/x/../.."));
        assert!(!is_vnet_of_subnet(&format!("pre{subnet}/../..")));
    }

    #[test]
    fn lower_casing_touches_literals_only() {
        let s = Symbolic::from_encoded(format!(
            "ACR{}",
            encode_term("uniqueString(resourceGroup().id)")
        ))
        .expect("symbolic");
        assert!(s.terms_lower_case());
        assert_eq!(
            s.literal_lower().to_string(),
            "acr{uniqueString(resourceGroup().id)}"
        );
        assert!(!Symbolic::term("resourceGroup().name").terms_lower_case());
    }
}
