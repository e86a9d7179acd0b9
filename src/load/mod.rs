//! Loaders: one per input format. Each turns the files of one scope into [`Resource`]s whose
//! attributes are already evaluated (see `resolve`), with the span of every value.

pub mod arm;
pub mod bicep;
pub mod json;
pub mod plan;
pub mod syntax;
pub mod terraform;

use crate::source::{FileId, Span};
use crate::value::{Node, Unknown, Value};

/// Which format a resource was written in. Rules never look at this; it chooses the help text and
/// the attribute-name mapping in `model`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Terraform,
    Arm,
    /// Bicep source, lowered to a template: ARM semantics, Bicep help texts.
    Bicep,
}

impl Origin {
    /// ARM resource types and property names (a template, or Bicep lowered to one).
    pub fn is_arm(self) -> bool {
        matches!(self, Origin::Arm | Origin::Bicep)
    }

    /// The format of the file at `path`, by its name (a `.json` file is taken as a template).
    pub fn of(path: &std::path::Path) -> Option<Origin> {
        use crate::classify::FileKind;
        Some(match crate::classify::classify(path)? {
            FileKind::Json => Origin::Arm,
            FileKind::Bicep => Origin::Bicep,
            _ => Origin::Terraform,
        })
    }

    /// Its name, as help texts say it.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Terraform => "Terraform",
            Origin::Arm => "ARM",
            Origin::Bicep => "Bicep",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Created by this configuration.
    Managed,
    /// Terraform `data` source: exists elsewhere, read only.
    Data,
    /// ARM languageVersion 2.0 `"existing": true`: a reference, not a creation.
    Existing,
}

/// One resource instance after evaluation.
#[derive(Clone, Debug)]
pub struct Resource {
    pub origin: Origin,
    pub mode: Mode,
    /// Terraform resource type (`azurerm_container_registry`, `azapi_resource`) or full ARM type
    /// (`Microsoft.Network/privateEndpoints/privateDnsZoneGroups`).
    pub rtype: String,
    /// The address users recognise: `azurerm_container_registry.acr`,
    /// `module.env["prod"].azurerm_private_endpoint.acr[0]`,
    /// `Microsoft.ContainerRegistry/registries/contosoacr`.
    pub addr: String,
    /// The resource header: the `resource "type" "name"` line, or the ARM resource's `type` member.
    pub header: Span,
    /// Evaluated attributes. Terraform: attributes by name, nested blocks as lists of objects.
    /// ARM: the whole resource object (`name`, `sku`, `properties`, ...), with the full name.
    pub body: Node,
    /// ARM: the resource id as `resourceId()` would compute it, when known.
    pub id: Option<String>,
    /// ARM: the resource group its deployment targets, as its id would write it (a placeholder
    /// for one the deployment decides); `None` above resource groups and in Terraform. Known even
    /// where the name, and so the id, is not.
    pub group: Option<String>,
    /// Why it is not known whether the resource is created: an unknown `count`, `for_each`,
    /// copy count or `condition` (of it or of an enclosing module or deployment). `None`: created.
    pub existence: Option<Unknown>,
    /// ARM: the address of the resource whose `resources` array holds this one. A nested child
    /// belongs to it by position, whatever the names evaluate to.
    pub parent: Option<String>,
    /// The files of the module calls (Terraform `module` blocks, ARM deployments, Bicep `module`
    /// statements) that create it, outermost first: a caller decides its existence and its
    /// inputs, even where no value of it is written there (a condition it switches off).
    pub callers: Vec<FileId>,
}

/// Stack for loading: parsing and evaluation recurse (within fixed depth limits), deeper than the
/// small stacks of rayon's default workers allow.
pub const STACK_BYTES: usize = 256 << 20;

thread_local! {
    static LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Declare that the current thread was started with a stack of [`STACK_BYTES`] (the pipeline's
/// worker pool does this), so loads run on it directly instead of on a thread of their own.
pub fn mark_large_stack() {
    LARGE_STACK.with(|l| l.set(true));
}

/// Run `f` on a stack of [`STACK_BYTES`]: here when this thread has one, else on a scoped thread.
/// `None` when `f` panicked (the caller reports an internal error for that scope).
pub fn with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    if LARGE_STACK.with(|l| l.get()) {
        // A bug in a loader must cost one scope, not the whole run (as on a scoped thread).
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    }
    let job = std::sync::Mutex::new(Some(f));
    let run = || job.lock().ok().and_then(|mut j| j.take()).map(|f| f());
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, run)
        {
            Ok(handle) => handle.join().ok().flatten(),
            // No thread available: run here, within the same depth limits.
            Err(_) => run(),
        }
    })
}

/// Read a file as UTF-8 text, or say why it cannot be scanned (unreadable, not a regular file,
/// too large, binary, not UTF-8). Every reader of input files goes through here (or
/// [`read_bounded`]), so they all refuse the same files.
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = read_bounded(path)?;
    if let Some(pos) = memchr::memchr(0, &bytes) {
        return Err(format!(
            "binary file (NUL byte at offset {pos}): not scanned"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {}): not scanned",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The encodings Bicep's load functions take (`loadTextContent(path, 'utf-16')`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Ascii,
    Latin1,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    /// The encoding a load function names, as the compiler spells them (any case).
    pub fn parse(name: &str) -> Option<TextEncoding> {
        let known = [
            ("utf-8", TextEncoding::Utf8),
            ("us-ascii", TextEncoding::Ascii),
            ("iso-8859-1", TextEncoding::Latin1),
            ("utf-16", TextEncoding::Utf16Le),
            ("utf-16BE", TextEncoding::Utf16Be),
        ];
        known
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, e)| *e)
    }

    /// Bytes as text, as .NET reads a file in this encoding: a byte-order mark decides when
    /// there is one; what does not decode becomes U+FFFD (`?` in ASCII), never an error.
    pub fn decode(self, bytes: &[u8]) -> String {
        let utf16 = |bytes: &[u8], big: bool| {
            let units = bytes.chunks(2).map(|c| match (c, big) {
                ([a, b], false) => u16::from_le_bytes([*a, *b]),
                ([a, b], true) => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        };
        match (bytes, self) {
            ([0xEF, 0xBB, 0xBF, rest @ ..], _) => String::from_utf8_lossy(rest).into_owned(),
            ([0xFF, 0xFE, rest @ ..], _) => utf16(rest, false),
            ([0xFE, 0xFF, rest @ ..], _) => utf16(rest, true),
            (_, TextEncoding::Utf8) => String::from_utf8_lossy(bytes).into_owned(),
            (_, TextEncoding::Ascii) => (bytes.iter())
                .map(|&b| if b.is_ascii() { b as char } else { '?' })
                .collect(),
            (_, TextEncoding::Latin1) => bytes.iter().map(|&b| b as char).collect(),
            (_, TextEncoding::Utf16Le) => utf16(bytes, false),
            (_, TextEncoding::Utf16Be) => utf16(bytes, true),
        }
    }
}

/// The bytes of a regular file of at most `file-size` bytes, checked before anything is read:
/// a FIFO, device, socket or folder is refused without opening it for reading (opening a FIFO
/// blocks until a writer appears; a device such as `/dev/zero` never ends), and so is a file
/// too large. Links are followed, and what they point at is judged. The path is checked first
/// and then the open handle, so a file replaced in between is judged by what was opened.
pub fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    regular(&meta)?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    regular(&meta)?;
    // Files larger than the limit are reported, not parsed: no real template or module comes
    // close.
    let max = crate::limits::current().file_size;
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` guards against a file that grows while it is read.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// For a path that does not exist, the one that does and differs from it only in letter case
/// (`../05-AKS-Supporting` written for the folder `05-AKS-supporting`): found on Windows and
/// macOS, not on a case-sensitive file system such as the Linux machines CI runs on. Said beside
/// the error, as `; path` text.
pub fn case_hint(path: &std::path::Path) -> String {
    match differs_in_case(path) {
        Some(found) => format!(
            "; `{}` differs only in letter case (file names are case-sensitive here, as on Linux CI machines)",
            crate::source::display_path(&found)
        ),
        None => String::new(),
    }
}

fn differs_in_case(path: &std::path::Path) -> Option<std::path::PathBuf> {
    use std::path::{Component, PathBuf};
    if path.symlink_metadata().is_ok() {
        return None;
    }
    let mut found = PathBuf::new();
    let mut changed = false;
    for component in path.components() {
        let Component::Normal(name) = component else {
            found.push(component.as_os_str());
            continue;
        };
        let exact = found.join(name);
        if exact.symlink_metadata().is_ok() {
            found = exact;
            continue;
        }
        let dir = match found.as_os_str().is_empty() {
            true => std::path::Path::new("."),
            false => found.as_path(),
        };
        let name = name.to_str()?;
        let entry = std::fs::read_dir(dir).ok()?.find_map(|e| {
            let e = e.ok()?;
            let n = e.file_name();
            n.to_str()?.eq_ignore_ascii_case(name).then_some(n)
        })?;
        found.push(entry);
        changed = true;
    }
    changed.then_some(found)
}

pub(crate) fn too_large(len: u64, max: u64) -> String {
    format!(
        "file is too large to scan ({len} bytes; the limit is {max}, `file-size` under [limits])"
    )
}

/// `Ok` for a regular file; otherwise says what it is.
fn regular(meta: &std::fs::Metadata) -> Result<(), String> {
    let ty = meta.file_type();
    if ty.is_file() {
        return Ok(());
    }
    let what = if ty.is_dir() {
        "a folder"
    } else {
        special_kind(&ty)
    };
    Err(format!("not a regular file ({what}): not scanned"))
}

#[cfg(unix)]
fn special_kind(ty: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ty.is_fifo() {
        "a FIFO"
    } else if ty.is_char_device() || ty.is_block_device() {
        "a device"
    } else if ty.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// A file (or part of one) that could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub file: FileId,
    /// Where in the file; `None` for errors about the whole file (unreadable, binary).
    pub span: Option<Span>,
    pub message: String,
}

/// Something a file says that Terraform reads in its own way (a key written twice in an object:
/// the last value is kept), read that way. Reported as a warning: it changes no exit code.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadWarning {
    pub file: FileId,
    /// Says where in the file.
    pub message: String,
}

/// Something a loader could not analyse at all (a linked template), shown with `--show-unknown`.
#[derive(Clone, Debug)]
pub struct Note {
    /// Address of what could not be analysed (the deployment or module call).
    pub resource: String,
    pub span: Span,
    pub unknown: Unknown,
    /// What its arguments hand it ([`received`]): a zone it receives may be linked by it.
    pub receives: Vec<String>,
}

/// The Terraform addresses of the resources that `v` references, and the texts it holds (ids,
/// names), depth first: what a module or deployment that is not read receives.
pub fn received(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Ref(r) => out.push(r.addr.clone()),
        Value::String(s) => out.push(s.to_string()),
        Value::Symbolic(s) => out.push(s.encoded().to_string()),
        // An unknown may be any name: as its identity, or a term naming what it depends on.
        Value::Unknown(u) => out.push(match &u.identity {
            Some(identity) => identity.to_string(),
            None => crate::symbolic::encode_term(&u.depends_on),
        }),
        Value::List(items) => items.iter().for_each(|n| received(&n.value, out)),
        Value::Object(members) => members.iter().for_each(|(_, n)| received(&n.value, out)),
        _ => {}
    }
}

/// What a loader returns for one scope.
#[derive(Debug, Default)]
pub struct Loaded {
    pub resources: Vec<Resource>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadWarning>,
    pub notes: Vec<Note>,
    /// Files analysed only as modules that nobody edits here (Bicep registry modules in the
    /// local cache), each with the module call that deploys it: results in them are reported
    /// at the call, which is what the user can change.
    pub called_at: Vec<(FileId, Span)>,
    /// Bicep `import`s, the files read as data (Terraform `file()`, Bicep `loadTextContent()`
    /// and its kin), and the variable and parameter files of the root, reader first: a result
    /// that depends on a file depends on what it reads too (its values came from there), as a C
    /// file depends on its headers.
    pub imports: Vec<(FileId, FileId)>,
    /// Defaults of module inputs that a call leaves unset: the module's other callers may rely
    /// on them too, so a fix changes what the call passes, never the shared default.
    pub shared_defaults: Vec<Span>,
    /// The cloud the configuration deploys to, where its tool decides it.
    pub cloud: crate::model::Cloud,
}

/// `rel` joined to `base`, its `.` removed and its `..` resolved lexically (no file system
/// access): `base` is kept as written, so that the result names a file as discovery named it
/// (`./x` and `./dns.bicep` give `./x/dns.bicep`). Leading `..` of a relative result are kept.
pub fn join_lexically(base: &std::path::Path, rel: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = base.to_path_buf();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod encoding_tests {
    use super::TextEncoding;

    /// Data files decode as the Bicep compiler decodes them: a byte-order mark first, then the
    /// encoding named; bytes that do not decode are replaced, never an error.
    #[test]
    fn bicep_encodings_decode_as_the_compiler_does() {
        let utf16 = |s: &str, big: bool| -> Vec<u8> {
            (s.encode_utf16())
                .flat_map(|u| {
                    if big {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect()
        };
        let e = TextEncoding::parse;
        assert_eq!(e("UTF-16be"), Some(TextEncoding::Utf16Be));
        assert_eq!(e("utf-32"), None);
        assert_eq!(
            TextEncoding::Utf16Le.decode(&utf16("Enabled", false)),
            "Enabled"
        );
        assert_eq!(
            TextEncoding::Utf16Be.decode(&utf16("Enabled", true)),
            "Enabled"
        );
        assert_eq!(TextEncoding::Latin1.decode(b"caf\xe9"), "café");
        assert_eq!(TextEncoding::Ascii.decode(b"caf\xe9"), "caf?");
        assert_eq!(TextEncoding::Utf8.decode(b"caf\xe9"), "caf\u{FFFD}");
        // A byte-order mark decides, whatever the encoding named.
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(utf16("Disabled", false));
        assert_eq!(TextEncoding::Utf8.decode(&marked), "Disabled");
        assert_eq!(TextEncoding::Latin1.decode(b"\xEF\xBB\xBFok"), "ok");
        // An odd byte at the end of UTF-16 text is replaced.
        assert_eq!(TextEncoding::Utf16Le.decode(b"a\0b"), "a\u{FFFD}");
    }
}
