//! The state of a language server session, independent of the transport: workspace folders with
//! their configuration, open documents, the units of analysis (scopes) known so far and the
//! diagnostics of each. Every analysis is [`crate::check::check`] with the open documents laid
//! over the disk; the server owns no analysis of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::Diagnostic;

use super::convert::{self, Entry};
use crate::check::CheckOptions;
use crate::config::{Config, Settings};
use crate::report::Scope;
use crate::source::Overlay;

/// An absolute, lexically normalized path: how the session names every file.
pub fn key(path: &Path) -> PathBuf {
    crate::load::terraform::folder_key(path)
}

/// A workspace folder and the options its `.acrlint.toml` gives.
struct Folder {
    root: PathBuf,
    options: CheckOptions,
}

/// One unit of analysis and its diagnostics by file.
struct ScopeState {
    folder: usize,
    scope: Scope,
    entries: BTreeMap<PathBuf, Vec<Entry>>,
}

/// A message for the client's log (`window/logMessage`).
#[derive(Clone, Debug, PartialEq)]
pub struct LogMessage {
    pub error: bool,
    pub text: String,
}

#[derive(Default)]
pub struct Session {
    folders: Vec<Folder>,
    /// Open documents' text, by path.
    docs: BTreeMap<PathBuf, Arc<str>>,
    scopes: Vec<ScopeState>,
    /// Internal errors while analysing a document's scope, by document: shown as an error
    /// diagnostic on it.
    failures: BTreeMap<PathBuf, Entry>,
    /// Show undetermined results as hints (initialization option `showUnknown`).
    pub show_unknown: bool,
    /// Messages for the client's log since last taken.
    pub log: Vec<LogMessage>,
}

/// Diagnostics to publish: every file whose diagnostics may have changed, with all of them.
pub type Publish = Vec<(PathBuf, Vec<Diagnostic>)>;

impl Session {
    /// Add a workspace folder (its configuration is read, as the command line finds it).
    pub fn add_folder(&mut self, root: &Path) {
        let root = key(root);
        if self.folders.iter().any(|f| f.root == root) {
            return;
        }
        let options = self.options_for(&root);
        self.folders.push(Folder { root, options });
    }

    /// Remove a workspace folder, its scopes and their diagnostics.
    pub fn remove_folder(&mut self, root: &Path) -> Publish {
        let root = key(root);
        let Some(index) = self.folders.iter().position(|f| f.root == root) else {
            return Vec::new();
        };
        let mut touched = BTreeSet::new();
        for s in self.scopes.iter().filter(|s| s.folder == index) {
            touched.extend(s.entries.keys().cloned());
        }
        self.scopes.retain(|s| s.folder != index);
        for s in &mut self.scopes {
            if s.folder > index {
                s.folder -= 1;
            }
        }
        self.folders.remove(index);
        self.diagnostics_of(touched)
    }

    /// The options of `.acrlint.toml` found from `root`; a configuration that cannot be read is
    /// logged and the defaults apply.
    fn options_for(&mut self, root: &Path) -> CheckOptions {
        match Config::discover(root) {
            Ok(found) => {
                let config = found.map(|(_, c)| c).unwrap_or_default();
                // The limits are process-wide: the first folder's apply.
                crate::limits::set(config.limits);
                options(&config)
            }
            Err(e) => {
                self.log.push(LogMessage {
                    error: true,
                    text: format!("acrlint: {e} (the default settings apply)"),
                });
                CheckOptions::default()
            }
        }
    }

    /// Read every folder's configuration again (`.acrlint.toml` changed) and analyse everything.
    pub fn reload(&mut self) -> Publish {
        let roots: Vec<PathBuf> = self.folders.iter().map(|f| f.root.clone()).collect();
        for (i, root) in roots.iter().enumerate() {
            self.folders[i].options = self.options_for(root);
        }
        self.analyse_all()
    }

    /// Analyse every workspace folder whole (at start, and when the configuration changes).
    pub fn analyse_all(&mut self) -> Publish {
        let mut touched: BTreeSet<PathBuf> = self
            .scopes
            .drain(..)
            .flat_map(|s| s.entries.into_keys())
            .collect();
        for i in 0..self.folders.len() {
            let root = self.folders[i].root.clone();
            // One run finds the units; each is then analysed alone, so that every diagnostic is
            // known to belong to its unit.
            let found = self.run_with(i, vec![root.clone()], &root, |opts| {
                // Only the units are read from this run: it works out no fixes.
                crate::check::check(&CheckOptions {
                    fixes: false,
                    ..opts.clone()
                })
            });
            for scope in found.map(|r| r.scopes).unwrap_or_default() {
                let entries = self.with_bicep_sources(scope.entries);
                touched.extend(self.analyse_scope(i, entries, &root));
            }
        }
        self.diagnostics_of(touched)
    }

    /// A template compiled from a Bicep file beside it (`X.json` written by the Bicep compiler,
    /// beside `X.bicep`) is analysed with its source, as in a run on their folder (see
    /// `check::compiled_templates`): a mistake both show is then reported once, on the Bicep
    /// line. A hand-written `X.json` stays alone.
    fn with_bicep_sources(&self, mut entries: Vec<PathBuf>) -> Vec<PathBuf> {
        let compiled = |json: &PathBuf| match self.text(json) {
            Some(text) => crate::classify::bicep_generated(&text),
            None => {
                crate::load::read_text(json).is_ok_and(|t| crate::classify::bicep_generated(&t))
            }
        };
        let sources: Vec<PathBuf> = (entries.iter())
            .filter(|e| crate::classify::classify(e) == Some(crate::classify::FileKind::Json))
            .map(|e| (e, e.with_extension("bicep")))
            .filter(|(json, b)| b.is_file() && !entries.contains(b) && compiled(json))
            .map(|(_, b)| b)
            .collect();
        entries.extend(sources);
        entries
    }

    /// A document was opened or its text changed: lay it over the disk.
    pub fn set_text(&mut self, path: &Path, text: &str) {
        self.docs.insert(key(path), Arc::from(text));
    }

    /// A document was closed: the disk's view of it applies again.
    pub fn close(&mut self, path: &Path) {
        self.docs.remove(&key(path));
    }

    pub fn is_open(&self, path: &Path) -> bool {
        self.docs.contains_key(&key(path))
    }

    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.docs.get(&key(path)).cloned()
    }

    /// Analyse again the scopes that these files belong to (a file in none is a new scope of
    /// its own), and nothing else.
    pub fn analyse_files(&mut self, paths: &[PathBuf]) -> Publish {
        let mut todo: Vec<(usize, Vec<PathBuf>)> = Vec::new();
        for path in paths {
            let path = key(path);
            // A file of no kind acrlint reads may be data a scope reads (`file("acr.yaml")`):
            // those scopes are analysed again, and it starts none of its own.
            let data = crate::classify::classify(&path).is_none();
            let mut found = false;
            for s in self.scopes.iter().filter(|s| s.scope.contains(&path)) {
                found = true;
                if !todo.iter().any(|(_, e)| *e == s.scope.entries) {
                    todo.push((s.folder, s.scope.entries.clone()));
                }
            }
            if !found && !data {
                let folder = self.folder_of(&path);
                todo.push((folder, self.with_bicep_sources(vec![path.clone()])));
            }
        }
        let mut touched = BTreeSet::new();
        for (folder, entries) in todo {
            let trigger = entries[0].clone();
            touched.extend(self.analyse_scope(folder, entries, &trigger));
        }
        // A document whose scope failed before and is fine now loses its error.
        for path in paths
            .iter()
            .filter(|p| crate::classify::classify(p).is_some())
        {
            touched.insert(key(path));
        }
        self.diagnostics_of(touched)
    }

    /// The workspace folder of a file: the deepest that holds it, else a folder of its own
    /// (its configuration found from the file's folder).
    fn folder_of(&mut self, path: &Path) -> usize {
        let best = (self.folders.iter().enumerate())
            .filter(|(_, f)| path.starts_with(&f.root))
            .max_by_key(|(_, f)| f.root.components().count())
            .map(|(i, _)| i);
        match best {
            Some(i) => i,
            None => {
                let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                self.add_folder(&dir);
                self.folders.len() - 1
            }
        }
    }

    /// Analyse one unit again (given by the paths that choose it), replacing what was known of
    /// it. Returns the files whose diagnostics may have changed.
    fn analyse_scope(
        &mut self,
        folder: usize,
        entries: Vec<PathBuf>,
        trigger: &Path,
    ) -> BTreeSet<PathBuf> {
        let mut touched = BTreeSet::new();
        // What was known of it goes, whatever the new run gives.
        self.scopes.retain(|s| {
            let old = s.scope.entries == entries;
            if old {
                touched.extend(s.entries.keys().cloned());
            }
            !old
        });
        let trigger = key(trigger);
        self.failures.remove(&trigger);
        let Some(report) = self.run(folder, entries.clone(), &trigger) else {
            touched.insert(trigger);
            return touched;
        };
        let mut entries_by_file: BTreeMap<PathBuf, Vec<Entry>> = BTreeMap::new();
        for (file, entry) in convert::entries(&report, self.show_unknown) {
            entries_by_file.entry(file).or_default().push(entry);
        }
        touched.extend(entries_by_file.keys().cloned());
        // One unit, or a compiled template with its Bicep source: what they cover together,
        // known by the paths that chose it, so that the next change finds it.
        let mut scope = Scope::default();
        for unit in report.scopes {
            scope.folders.extend(unit.folders);
            scope.files.extend(unit.files);
        }
        scope.entries = entries;
        scope.files.extend(entries_by_file.keys().cloned());
        self.scopes.push(ScopeState {
            folder,
            scope,
            entries: entries_by_file,
        });
        touched
    }

    /// One check of `paths` with the open documents laid over the disk. A panic (a bug) is
    /// logged and shown as an error on `trigger`, and the session goes on.
    fn run(
        &mut self,
        folder: usize,
        paths: Vec<PathBuf>,
        trigger: &Path,
    ) -> Option<crate::report::Report> {
        self.run_with(folder, paths, trigger, crate::check::check)
    }

    /// [`Session::run`] with the analysis given (a test makes it panic).
    fn run_with(
        &mut self,
        folder: usize,
        paths: Vec<PathBuf>,
        trigger: &Path,
        check: impl FnOnce(&CheckOptions) -> Result<crate::report::Report, String>,
    ) -> Option<crate::report::Report> {
        let opts = CheckOptions {
            paths,
            overlay: Overlay::new(self.docs.iter().map(|(p, t)| (p.clone(), t.clone()))),
            scopes: true,
            ..self.folders[folder].options.clone()
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&opts)));
        let message = match result {
            Ok(Ok(report)) => return Some(report),
            Ok(Err(e)) => format!("acrlint: {e}"),
            Err(_) => format!(
                "acrlint: internal error while analysing {} (a bug in acrlint: please report it)",
                trigger.display()
            ),
        };
        self.log.push(LogMessage {
            error: true,
            text: message.clone(),
        });
        self.failures.insert(
            trigger.to_path_buf(),
            Entry {
                diagnostic: Diagnostic {
                    severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                    source: Some("acrlint".into()),
                    message,
                    ..Diagnostic::default()
                },
                rule: None,
                suppress: Vec::new(),
                fix: None,
            },
        );
        None
    }

    /// Every diagnostic of a file, over all scopes it belongs to (a module called twice shows a
    /// finding once).
    pub fn entries(&self, path: &Path) -> Vec<&Entry> {
        let path = key(path);
        let mut out: Vec<&Entry> = Vec::new();
        let all = self
            .scopes
            .iter()
            .filter_map(|s| s.entries.get(&path))
            .flatten()
            .chain(self.failures.get(&path));
        for e in all {
            if !out.iter().any(|o| o.diagnostic == e.diagnostic) {
                out.push(e);
            }
        }
        out
    }

    fn diagnostics_of(&self, files: BTreeSet<PathBuf>) -> Publish {
        files
            .into_iter()
            .map(|file| {
                let diagnostics = self
                    .entries(&file)
                    .into_iter()
                    .map(|e| e.diagnostic.clone())
                    .collect();
                (file, diagnostics)
            })
            .collect()
    }
}

/// The check options a configuration gives, as the command line builds them without flags.
pub fn options(config: &Config) -> CheckOptions {
    let settings = config.merge(Settings::default());
    CheckOptions {
        // Quick fixes.
        fixes: true,
        ..CheckOptions::configured(config, settings, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_analysing_is_an_error_on_the_document_and_the_session_goes_on() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path().join("main.tf");
        std::fs::write(
            &main,
            "resource \"azurerm_container_registry\" \"acr\" {\n  name                = \"acr\"\n  resource_group_name = \"rg\"\n  location            = \"westeurope\"\n  sku                 = \"Premium\"\n}\n",
        )
        .unwrap();
        let mut session = Session::default();
        session.add_folder(tmp.path());
        let failed = session.run_with(0, vec![main.clone()], &main, |_| panic!("a bug"));
        assert!(failed.is_none());
        let entries = session.entries(&main);
        assert_eq!(entries.len(), 1);
        assert!(entries[0]
            .diagnostic
            .message
            .starts_with("acrlint: internal error while analysing"));
        assert_eq!(
            entries[0].diagnostic.severity,
            Some(lsp_types::DiagnosticSeverity::ERROR)
        );
        assert!(session
            .log
            .iter()
            .any(|m| m.error && m.text.contains("internal error")));
        // The next analysis works, and replaces the error with the findings.
        session.analyse_files(std::slice::from_ref(&main));
        let codes: Vec<_> = session
            .entries(&main)
            .iter()
            .map(|e| e.diagnostic.code.clone())
            .collect();
        assert_eq!(
            codes,
            [Some(lsp_types::NumberOrString::String("ACR001".into()))]
        );
    }
    #[test]
    fn a_data_file_changed_on_disk_analyses_the_scopes_that_read_it_again() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path().join("main.tf");
        let data = tmp.path().join("acr.yaml");
        std::fs::write(
            &main,
            "locals {\n  acr = yamldecode(file(\"${path.module}/acr.yaml\"))\n}\n\nresource \"azurerm_container_registry\" \"acr\" {\n  name                          = \"contosoacr01\"\n  resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  sku                           = \"Premium\"\n  public_network_access_enabled = local.acr.public\n}\n",
        )
        .unwrap();
        std::fs::write(&data, "public: false\n").unwrap();
        let mut session = Session::default();
        session.add_folder(tmp.path());
        session.analyse_all();
        let codes = |session: &Session| -> Vec<_> {
            (session.entries(&key(&main)).iter())
                .map(|e| e.diagnostic.code.clone())
                .collect()
        };
        assert_eq!(
            codes(&session),
            [Some(lsp_types::NumberOrString::String("ACR008".into()))]
        );
        std::fs::write(&data, "public: true\n").unwrap();
        session.analyse_files(std::slice::from_ref(&data));
        assert_eq!(
            codes(&session),
            [Some(lsp_types::NumberOrString::String("ACR001".into()))]
        );
        // The data file itself gets no diagnostics of its own.
        assert!(session.entries(&key(&data)).is_empty());
        // Its unsaved text, as the editor sends it, counts as the saved text does.
        session.set_text(&data, "public: false\n");
        session.analyse_files(std::slice::from_ref(&data));
        assert_eq!(
            codes(&session),
            [Some(lsp_types::NumberOrString::String("ACR008".into()))]
        );
    }

    #[test]
    fn a_compiled_module_is_judged_through_its_callers_as_on_the_command_line() {
        let tmp = tempfile::tempdir().unwrap();
        let module = tmp.path().join("registry");
        std::fs::create_dir_all(&module).unwrap();
        std::fs::write(
            tmp.path().join("main.bicep"),
            "module reg 'registry/main.bicep' = {\n  name: 'reg'\n  params: {\n    access: 'Disabled'\n  }\n}\n",
        )
        .unwrap();
        std::fs::write(
            module.join("main.bicep"),
            "param access string = 'Enabled'\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
        )
        .unwrap();
        let compiled = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"metadata\": { \"_generator\": { \"name\": \"bicep\" } },\n  \"parameters\": { \"access\": { \"type\": \"string\", \"defaultValue\": \"Enabled\" } },\n  \"resources\": [\n    { \"type\": \"Microsoft.ContainerRegistry/registries\", \"apiVersion\": \"2025-11-01\", \"name\": \"contosoacr01\", \"location\": \"westeurope\", \"sku\": { \"name\": \"Premium\" }, \"properties\": { \"publicNetworkAccess\": \"[parameters('access')]\" } }\n  ]\n}\n";
        std::fs::write(module.join("main.json"), compiled).unwrap();
        let mut session = Session::default();
        session.add_folder(tmp.path());
        session.analyse_all();
        let codes = |file: &Path| -> Vec<_> {
            (session.entries(&key(file)).iter())
                .map(|e| e.diagnostic.code.clone())
                .collect()
        };
        // Closed by its caller: only the missing endpoint, and nothing on the compiled JSON.
        assert_eq!(
            codes(&module.join("main.bicep")),
            [Some(lsp_types::NumberOrString::String("ACR008".into()))]
        );
        assert_eq!(codes(&module.join("main.json")), []);
    }

    #[test]
    fn a_quickstart_layout_is_one_configuration_as_on_the_command_line() {
        // `azuredeploy.json` built from `main.bicep`, deployed with `azuredeploy.parameters.json`.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/ACR001/bicep/fail_quickstart_layout");
        let tmp = tempfile::tempdir().unwrap();
        for name in [
            "main.bicep",
            "azuredeploy.json",
            "azuredeploy.parameters.json",
        ] {
            std::fs::copy(fixture.join(name), tmp.path().join(name)).unwrap();
        }
        let mut session = Session::default();
        session.add_folder(tmp.path());
        session.analyse_all();
        let lines = |name: &str| -> Vec<u32> {
            (session.entries(&key(&tmp.path().join(name))).iter())
                .map(|e| e.diagnostic.range.start.line)
                .collect()
        };
        // Once, on the Bicep line (0-based 17), with the parameter file's value.
        assert_eq!(lines("main.bicep"), [17]);
        assert!(lines("azuredeploy.json").is_empty());
    }

    #[test]
    fn a_template_is_analysed_with_its_bicep_source_only_when_compiled_from_it() {
        let tmp = tempfile::tempdir().unwrap();
        let path = |name: &str| key(&tmp.path().join(name));
        for name in ["compiled.bicep", "written.bicep"] {
            std::fs::write(path(name), "param x string = 'y'\n").unwrap();
        }
        let template = |generator: &str| {
            format!("{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"metadata\": {{\n    \"_generator\": {{\n      \"name\": \"{generator}\"\n    }}\n  }},\n  \"resources\": []\n}}\n")
        };
        std::fs::write(path("compiled.json"), template("bicep")).unwrap();
        std::fs::write(path("written.json"), template("someone")).unwrap();
        let mut session = Session::default();
        let with = |s: &Session, name: &str| s.with_bicep_sources(vec![path(name)]);
        assert_eq!(
            with(&session, "compiled.json"),
            [path("compiled.json"), path("compiled.bicep")]
        );
        assert_eq!(with(&session, "written.json"), [path("written.json")]);
        // The editor's text decides over the disk's.
        session.set_text(&path("written.json"), &template("bicep"));
        assert_eq!(
            with(&session, "written.json"),
            [path("written.json"), path("written.bicep")]
        );
    }
}
